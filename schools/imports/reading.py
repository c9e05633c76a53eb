"""Turn uploaded bytes into a table of strings: encoding detection, CSV with ragged rows, XLSX checks.

Everything here refuses bad input with `ImportProblem` (file, row, column, what was expected) and
never lets a decoding or parsing exception escape: DfE files come in many shapes.
"""

import csv
import datetime
import io
import os
import re
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings

ALLOWED_EXTENSIONS = (".csv", ".xlsx")
XLSX_MAX_MEMBERS = 500
XLSX_MAX_RATIO = 200  # uncompressed / compressed for one member; real workbooks stay far below
# openpyxl reads about 150,000 cells (6 MB of sheet XML) a CPU second: these keep a workbook to a few
# seconds however it is built. Large files come as CSV (the DfE publishes CSV), which has no limit.
XLSX_MAX_CELLS = 300_000
XLSX_MAX_SHEET_BYTES = 20 * 1024 * 1024  # a worksheet's XML, unpacked
XLSX_MAX_PART_BYTES = 8 * 1024 * 1024  # any other part (shared strings, styles), parsed whole on opening
XLSX_CPU_SECONDS = 3.0
AS_CSV = "save it as CSV (comma-separated values) and upload that"

csv.field_size_limit(10 * 1024 * 1024)
LINKED_ESTABLISHMENTS = "linked establishments"


class ImportProblem(Exception):
    """A fatal problem: nothing is written. Carries where it is and what was expected."""

    def __init__(self, message, *, file="", row=None, column="", expected="", problems=None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.row = row
        self.column = column
        self.expected = expected
        # All row-level problems found by validation (list of dicts), when there were several.
        self.problems = problems or []

    def where(self):
        parts = [self.file] if self.file else []
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def __str__(self):
        where = self.where()
        text = f"{where}: {self.message}" if where else self.message
        if self.expected:
            text += f" (expected {self.expected})"
        return text

    def as_dict(self):
        return {"file": self.file, "row": self.row, "column": self.column, "message": self.message,
                "expected": self.expected, "text": str(self)}


class Rows(Sequence):
    """A file's data rows, each a list of str exactly `width` long, read from compact storage.

    A CSV row is kept as its own text and split into fields each time it is read: a list of small
    str objects costs about 50 bytes a cell, so holding every row split made a 30 MB file cost
    about 10 times its size (33 times for files of short figures); the text costs about its size.
    XLSX rows (bounded by XLSX_MAX_CELLS) are kept as lists.
    """

    def __init__(self, items, width):
        self._items = items
        self.width = width

    def __len__(self):
        return len(self._items)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self._fit(item) for item in self._items[i]]
        return self._fit(self._items[i])

    def __iter__(self):
        for item in self._items:
            yield self._fit(item)

    def _fit(self, item):
        row = next(csv.reader([item], strict=False)) if isinstance(item, str) else item
        if len(row) < self.width:
            return row + [""] * (self.width - len(row))
        return row[:self.width] if len(row) > self.width else row


@dataclass
class Table:
    """A file read into strings. Row numbers are the file's own: the header is row 1."""

    file_name: str
    header: list
    rows: Sequence  # each a list of str, exactly len(header) long (Rows: parsed as read)
    row_numbers: list  # the file row number of each entry of rows
    encoding: str = "utf-8"
    format: str = "csv"
    index: dict = field(default_factory=dict)
    overflow: dict = field(default_factory=dict)  # file row number -> extra linked-establishment fields

    def __post_init__(self):
        self.index = {}
        for i, name in enumerate(self.header):
            self.index.setdefault(normalise_name(name), i)

    def has(self, name):
        return normalise_name(name) in self.index

    def col(self, name):
        """Position of a column by name (case and spacing ignored), or None."""
        return self.index.get(normalise_name(name))

    def first_col(self, *names):
        for name in names:
            i = self.col(name)
            if i is not None:
                return i
        return None

    def __len__(self):
        return len(self.rows)


def normalise_name(name):
    return re.sub(r"\s+", " ", (name or "").replace("\ufeff", "")).strip().lower()


def safe_file_name(name):
    """The user's file name without any path, control characters or odd characters (shown, never used as a path)."""
    name = (name or "").replace("\\", "/").split("/")[-1]
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip().lstrip(".")
    name = re.sub(r"[^\w .()\-+]", "_", name)
    return name[:200] or "upload"


def check_upload(data, file_name):
    """Size, extension and content checks before anything is parsed."""
    limit = settings.UPLOAD_MAX_BYTES
    if len(data) > limit:
        raise ImportProblem(
            f"the file is {len(data):,} bytes, over the size limit", file=file_name,
            expected=f"at most {limit:,} bytes",
        )
    ext = os.path.splitext(file_name)[1].lower()
    if ext not in ALLOWED_EXTENSIONS:
        raise ImportProblem(f"files of type '{ext or 'none'}' are not accepted", file=file_name,
                            expected="a .csv or .xlsx file")
    if not data.strip():
        raise ImportProblem("the file is empty", file=file_name, row=1, expected="a header row and data rows")
    if ext == ".xlsx" and not data.startswith(b"PK\x03\x04"):
        raise ImportProblem("the file is named .xlsx but is not an Excel workbook", file=file_name,
                            expected="an .xlsx workbook saved by Excel or a CSV file named .csv")
    if ext == ".csv" and data.startswith(b"PK\x03\x04"):
        raise ImportProblem("the file is named .csv but is a zip or Excel workbook", file=file_name,
                            expected="a CSV text file, or name an Excel workbook .xlsx")
    return ext


def read_table(data, file_name):
    """bytes -> Table. Raises ImportProblem for anything unreadable."""
    file_name = safe_file_name(file_name)
    ext = check_upload(data, file_name)
    if ext == ".xlsx":
        header, raw_rows = _read_xlsx(data, file_name)
        encoding, fmt = "xlsx", "xlsx"
    else:
        text, encoding = decode(data, file_name)
        header, raw_rows = _read_csv(text, file_name)
        fmt = "csv"
    return _shape(file_name, header, raw_rows, encoding, fmt)


def decode(data, file_name):
    """UTF-8 (with or without BOM) first, then Windows-1252; bytes valid in neither are refused by place.

    A NUL further in than the binary check looks is dropped: PostgreSQL cannot store it in text."""
    text, encoding = _decode(data, file_name)
    return (text.replace("\x00", "") if "\x00" in text else text), encoding


def _decode(data, file_name):
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportProblem("the file is UTF-16 text", file=file_name,
                            expected="UTF-8 or Windows-1252 text (in Excel: Save as 'CSV UTF-8')")
    if b"\x00" in data[:4096]:
        raise ImportProblem("the file contains binary data, not text", file=file_name, row=1,
                            expected="a CSV text file")
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            _undecodable(data[3:], exc, file_name, "UTF-8 (the file starts with a UTF-8 byte-order mark)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError as exc:
        _undecodable(data, exc, file_name, "UTF-8 or Windows-1252 text")


def _undecodable(data, exc, file_name, expected):
    # Find the row and field of the bad byte so the message points at it.
    before = data[: exc.start]
    row = before.count(b"\n") + 1
    line_start = before.rfind(b"\n") + 1
    line_part = before[line_start:].decode("cp1252", errors="replace")
    field_no = next(csv.reader([line_part + "x"]), [""]).__len__()
    header_line = data.split(b"\n", 1)[0].decode("cp1252", errors="replace")
    header = next(csv.reader([header_line]), [])
    column = header[field_no - 1].strip() if 0 < field_no <= len(header) and row > 1 else f"field {field_no}"
    raise ImportProblem(
        f"byte 0x{data[exc.start]:02X} cannot be read as text", file=file_name, row=row, column=column,
        expected=expected,
    ) from None


def _read_csv(text, file_name):
    """(header, iterator of (record text, fields)): records are split one at a time, never all at once."""
    if "\n" not in text and "\r" in text:
        text = text.replace("\r", "\n")  # old Mac line ends
    records = _records(text, file_name)
    try:
        _, header = next(records)
    except StopIteration:
        header = []
    return header, records


def _lines(text):
    start, size = 0, len(text)
    while start < size:
        end = text.find("\n", start)
        end = size if end < 0 else end + 1
        yield text[start:end]
        start = end


def _records(text, file_name):
    """(the record's own text, its fields) for each CSV record; a quoted field may span lines."""
    pending = []

    def feed():
        for line in _lines(text):
            pending.append(line)
            yield line

    reader = csv.reader(feed(), strict=False)
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ImportProblem(f"the CSV cannot be read ({exc})", file=file_name, row=reader.line_num,
                                expected="comma-separated values") from None
        raw = pending[0] if len(pending) == 1 else "".join(pending)
        pending.clear()
        yield raw, fields


def _shape(file_name, header, raw_rows, encoding, fmt):
    header = [str(h).replace("\ufeff", "").strip() for h in header]
    while header and header[-1] == "" and len(header) > 1:
        header.pop()
    if not header or not any(header):
        raise ImportProblem("the file is empty", file=file_name, row=1, expected="a header row and data rows")
    width = len(header)
    rows, numbers = [], []
    # GIAS downloads whose last column is "Linked establishments" carry a school's second and later
    # links in extra fields ("115961 Predecessor"): kept beside the row, never refused (PRODUCT.md).
    links_last = normalise_name(header[-1]) == LINKED_ESTABLISHMENTS
    overflow = {}
    # CSV rows come as (record text, fields) and are kept as text; XLSX rows as lists of fields.
    for i, item in enumerate(raw_rows, start=2):
        raw, row = item if isinstance(item, tuple) else (None, item)
        if not row or not any(cell.strip() for cell in row):
            continue  # blank lines are not rows
        if len(row) > width and links_last:
            overflow[i] = [cell.strip() for cell in row[width:] if cell.strip()]  # Rows cuts them off the row
        elif len(row) > width:
            extra = row[width:]
            for j, cell in enumerate(extra):
                if cell.strip():
                    raise ImportProblem(
                        f"the row has {len(row)} fields, more than the {width} columns of the header, and "
                        f"field {width + j + 1} holds {cell.strip()[:40]!r}",
                        file=file_name, row=i, column=f"field {width + j + 1} (after the last column)",
                        expected=f"at most {width} fields, or empty extra fields",
                    )
        # DfE downloads often stop a row early: the missing trailing fields are read as empty (Rows).
        rows.append(raw if raw is not None else row)
        numbers.append(i)
    if not rows:
        raise ImportProblem("the file has a header but no data rows", file=file_name, row=2,
                            expected="at least one data row")
    return Table(file_name=file_name, header=header, rows=Rows(rows, width), row_numbers=numbers, encoding=encoding,
                 format=fmt, overflow=overflow)


def _read_xlsx(data, file_name):
    """First sheet of a workbook, after zip-bomb checks; formulas are refused, never evaluated."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ImportProblem("the workbook is damaged and cannot be opened", file=file_name,
                            expected="an .xlsx workbook saved by Excel") from None
    if len(infos) > XLSX_MAX_MEMBERS:
        raise ImportProblem(f"the workbook has {len(infos)} parts; this looks like a zip bomb", file=file_name,
                            expected=f"at most {XLSX_MAX_MEMBERS} parts")
    total = sum(i.file_size for i in infos)
    max_total = settings.UPLOAD_MAX_BYTES * 10
    if total > max_total:
        raise ImportProblem(f"the workbook unpacks to {total:,} bytes; this looks like a zip bomb", file=file_name,
                            expected=f"at most {max_total:,} bytes unpacked")
    for info in infos:
        if info.file_size > 1024 * 1024 and info.file_size > XLSX_MAX_RATIO * max(info.compress_size, 1):
            raise ImportProblem(f"part {info.filename!r} is compressed {info.file_size // max(info.compress_size, 1)}"
                                " times; this looks like a zip bomb", file=file_name,
                                expected=f"a compression ratio under {XLSX_MAX_RATIO}")
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names:
        raise ImportProblem("the zip file is not an Excel workbook", file=file_name, expected="an .xlsx workbook")
    _check_xlsx_size(archive, infos, file_name)
    import openpyxl
    from openpyxl.utils import get_column_letter

    try:
        # read_only streams rows; data_only=False so formulas show as formulas (refused below, never evaluated).
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # noqa: BLE001 - openpyxl raises many types on damaged files
        raise ImportProblem("the workbook cannot be opened", file=file_name, expected="an .xlsx workbook") from None
    try:
        ws = wb.worksheets[0]
        rows = []
        header = None
        cells, started = 0, time.process_time()
        for r, row in enumerate(ws.iter_rows(), start=1):
            cells += len(row)
            if cells > XLSX_MAX_CELLS or time.process_time() - started > XLSX_CPU_SECONDS:
                raise ImportProblem(f"the workbook has more than {XLSX_MAX_CELLS:,} cells (reached at row {r:,})",
                                    file=file_name, row=r, expected=f"a smaller workbook, or {AS_CSV}")
            values = []
            for c, cell in enumerate(row, start=1):
                value = getattr(cell, "value", None)
                if getattr(cell, "data_type", None) == "f" or (isinstance(value, str) and value.startswith("=")):
                    column = header[c - 1] if header and c <= len(header) else get_column_letter(c)
                    raise ImportProblem("the cell holds a formula", file=file_name, row=r, column=column,
                                        expected="values only (copy and paste as values, then save)")
                values.append(_cell_text(value))
            if header is None:
                header = values
            else:
                rows.append(values)
    finally:
        wb.close()
    return header or [], rows


def _check_xlsx_size(archive, infos, file_name):
    """Refuse, before openpyxl parses anything, a workbook whose parts would take long to parse."""
    for info in infos:
        sheet = info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
        limit = XLSX_MAX_SHEET_BYTES if sheet else XLSX_MAX_PART_BYTES
        if info.file_size > limit:
            raise ImportProblem(f"part {info.filename!r} of the workbook is too large to read ({info.file_size:,} "
                                f"bytes unpacked)", file=file_name, expected=f"at most {limit:,} bytes: {AS_CSV}")
        if sheet:
            with archive.open(info) as fh:
                head = fh.read(65536).decode("utf-8", errors="replace")
            match = DIMENSION.search(head)
            if match:
                cells = _dimension_cells(match)
                if cells > XLSX_MAX_CELLS:
                    raise ImportProblem(f"the workbook's sheet is {cells:,} cells (rows x columns)",
                                        file=file_name, expected=f"at most {XLSX_MAX_CELLS:,} cells: {AS_CSV}")


DIMENSION = re.compile(r'<(?:\w+:)?dimension\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def _dimension_cells(match):
    from openpyxl.utils import column_index_from_string

    first_col, first_row, last_col, last_row = match.groups()
    last_col, last_row = last_col or first_col, last_row or first_row
    columns = column_index_from_string(last_col) - column_index_from_string(first_col) + 1
    return max(columns, 1) * max(int(last_row) - int(first_row) + 1, 1)


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d-%m-%Y")
    return str(value).strip()
