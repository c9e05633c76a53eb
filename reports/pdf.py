"""HTML to a tagged PDF through WeasyPrint: the one place the portal makes PDFs (reports, board packs).

PDF/UA-1 gives the document its structure tags (headings, tables, lists in reading order), its
language from <html lang> and its title from <title>; the page margins' running text (page numbers,
the confidential marking) is marked as artefact, so screen readers skip it.
"""

from pathlib import Path

from django.conf import settings

STYLESHEET = Path(settings.BASE_DIR) / "static" / "reports" / "pdf.css"


def marking_css(marking):
    """Page-margin text on every page (the appendix's and exempt packs' notice)."""
    text = marking.replace("\\", "\\\\").replace('"', '\\"')
    return (
        f'@page {{ @top-center {{ content: "{text}"; font: bold 9pt "Liberation Sans", Arial, sans-serif; '
        "color: #942514; width: 100%; text-align: center; } }"
    )


def write_pdf(html, *, base_url=None, marking="", extra_css="", attachments=None):
    from weasyprint import CSS, HTML  # imported here: Pango loads only when a PDF is made
    from weasyprint.urls import URLFetcher

    sheets = [CSS(filename=str(STYLESHEET))]
    css = "\n".join(c for c in (marking_css(marking) if marking else "", extra_css) if c)
    if css:
        sheets.append(CSS(string=css))
    # Only inline data: the document never reaches the network or the disk for what it shows.
    fetcher = URLFetcher(allowed_protocols={"data"})
    document = HTML(string=html, base_url=base_url or str(settings.BASE_DIR), url_fetcher=fetcher)
    return document.write_pdf(stylesheets=sheets, pdf_variant="pdf/ua-1", attachments=attachments or None)
