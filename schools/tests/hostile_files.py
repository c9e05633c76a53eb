"""Hostile workbooks small enough to upload and to pass the zip-bomb checks, but costly to parse.

Shared by schools/tests/test_import_limits.py and the bench's import_limits step (bench/run.py).
"""

import io
import zipfile

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def workbook_with_rows(rows, columns, dimension=True):
    """A workbook of rows x columns small whole-number cells, written straight as XML (no openpyxl)."""
    def sheet():
        yield ('<?xml version="1.0" encoding="UTF-8"?><worksheet '
               'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
        if dimension:
            yield f'<dimension ref="A1:{_col(columns)}{rows}"/>'
        yield "<sheetData>"
        header = "".join(f'<c t="inlineStr"><is><t>C{c}</t></is></c>' for c in range(columns))
        yield f"<row>{header}</row>"
        body = "<c><v>1</v></c>" * (columns - 1)
        for r in range(rows - 1):
            # A figure that changes every other row keeps the sheet under the 200:1 zip-bomb ratio.
            yield f"<row><c><v>{r // 2}</v></c>{body}</row>"
        yield "</sheetData></worksheet>"

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            for part in sheet():
                member.write(part.encode())
    return out.getvalue()


def _col(n):
    name = ""
    while n:
        n, rem = divmod(n - 1, 26)
        name = chr(65 + rem) + name
    return name or "A"


def hostile_xlsx(rows=220_000, dimension=True):
    """About 0.7 MB: 8.8 million cells (a 135 MB sheet) that pass the zip-bomb checks (ratio under 200)."""
    return workbook_with_rows(rows, 40, dimension=dimension)
