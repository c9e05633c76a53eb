"""The report as a Word document (python-docx): real Heading 1 and 2 styles and real tables, so a
council's committee template takes it as it is; the confidential marking in every page's header."""

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

LANGUAGE = "en-GB"


def set_language(document):
    """Word reads the language from the default run properties of the styles part."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)


def repeat_header_row(row):
    """Mark a table's first row as its header, repeated on each page (and read as headers)."""
    props = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    props.append(header)


def add_table(document, table):
    caption = document.add_paragraph(table.caption, style="Caption")
    caption.paragraph_format.keep_with_next = True
    grid = document.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.LEFT
    for cell, text in zip(grid.rows[0].cells, table.columns, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    repeat_header_row(grid.rows[0])
    for row in table.rows:
        cells = grid.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, row, strict=True)):
            cell.text = text
            if index in table.numeric:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def add_marking(document, marking):
    for section in document.sections:
        paragraph = section.header.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(marking)
        run.bold = True
        run.font.color.rgb = RGBColor(0x94, 0x25, 0x14)
    document.add_paragraph().add_run(marking).bold = True


def add_part(document, part):
    document.add_heading(part.heading, level=2)
    for text in part.paragraphs:
        document.add_paragraph(text)
    if part.table is not None:
        if part.table.rows:
            add_table(document, part.table)
        else:
            document.add_paragraph(part.empty)
    if part.source:
        source = document.add_paragraph()
        source.add_run("Source: ").bold = True
        source.add_run(f"{part.source}. ")
        source.add_run("As at: ").bold = True
        source.add_run(f"{part.as_at}.")
        for run in source.runs:
            run.font.size = Pt(9)


def docx_bytes(report):
    document = Document()
    set_language(document)
    document.core_properties.title = f"{report.title}, {report.period}"
    document.core_properties.author = report.partnership
    document.core_properties.language = LANGUAGE
    if report.marking:
        add_marking(document, report.marking)
    document.add_paragraph(report.partnership, style="Subtitle")
    document.add_heading(report.title, level=0)
    document.add_paragraph(f"Period: {report.period}")
    document.add_paragraph(f"Made from live data on: {report.generated}")
    for text in report.summary:
        document.add_paragraph(text)
    for section in report.sections:
        document.add_heading(section.heading, level=1)
        for text in section.intro:
            document.add_paragraph(text)
        for part in section.parts:
            add_part(document, part)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
