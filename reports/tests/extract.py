"""Reads the text back out of each format, the way a reader's software would."""

import io
import re
import subprocess
import tempfile
import zipfile
from html.parser import HTMLParser


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables, self._row, self._cell, self._caption = [], None, None, None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"caption": "", "rows": []})
        elif tag == "caption":
            self._caption = ""
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = ""

    def handle_endtag(self, tag):
        if tag == "caption":
            self.tables[-1]["caption"], self._caption = self._caption.strip(), None
        elif tag in ("td", "th") and self._row is not None:
            self._row.append(" ".join(self._cell.split()))
            self._cell = None
        elif tag == "tr":
            self.tables[-1]["rows"].append(tuple(self._row))
            self._row = None

    def handle_data(self, data):
        if self._caption is not None:
            self._caption += data
        if self._cell is not None:
            self._cell += data


def html_tables(html):
    parser = _Tables()
    parser.feed(html)
    return [(t["caption"], t["rows"][1:]) for t in parser.tables]


def docx_tables(data):
    from docx import Document

    document = Document(io.BytesIO(data))
    return [[tuple(c.text for c in row.cells) for row in table.rows][1:] for table in document.tables]


def docx_text(data):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return " ".join(re.sub(r"<[^>]+>", " ", z.read(n).decode()) for n in z.namelist() if n.endswith(".xml"))


def pdf_text(data, layout=True):
    """pdftotext's text, one string per page (poppler-utils, installed by make test).

    layout=False reads in the order the content was written (-raw), which keeps a table cell's
    wrapped lines together; -layout keeps the page's columns side by side."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else ["-raw"]) + [f.name, "-"]
        out = subprocess.run(args, check=True, capture_output=True).stdout.decode()
    return [page for page in out.split("\f") if page.strip()]


def pdf_info(data):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        out = subprocess.run(["pdfinfo", f.name], check=True, capture_output=True).stdout.decode()
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


def squash(text):
    return " ".join(text.split())


def pdf_objects(data):
    """The PDF's objects as text, object streams inflated (structure tags, /Lang, the catalogue)."""
    import zlib

    out = [data.decode("latin-1")]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            out.append(zlib.decompress(match.group(1)).decode("latin-1"))
        except zlib.error:
            continue
    return "\n".join(out)
