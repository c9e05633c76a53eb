"""The Ofsted management-information layout, pure (no database): graded outcomes (1-4) for the school
register and report cards (inspections from November 2025), read into figures like other files."""

from __future__ import annotations

import re
from datetime import date, datetime

from ..years import academic_year_of
from . import profiles
from .figures import OfstedOutcome, cell, school

_DATE = re.compile(r"^(\d{1,2})[/-](\d{1,2})[/-](\d{4})$")


def parse_date(text):
    text = (text or "").strip()
    if not text or text.upper() == "NULL":
        return None
    m = _DATE.match(text)
    if m:
        return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    return datetime.strptime(text[:10], "%Y-%m-%d").date()


def row_ofsted(parsed, state, number, row):
    cols = state["cols"]
    legacy = parsed.recognised.profile.name == "ofsted_mi_legacy"
    urn_text = cell(row, cols.pos("URN"))
    if legacy:
        grade_col, date_col, concern_col = "Overall effectiveness", "Inspection start date", "Category of concern"
    else:
        grade_col = "Latest OEIF overall effectiveness"
        date_col = "Inspection start date of latest OEIF graded inspection"
        concern_col = "Latest OEIF category of concern"
    # Report-card grades are text; turn them into the stored scale before the shared value parsing.
    figures = school(parsed, state, number, _report_card_row(parsed, state, number, row), urn_text, "URN",
                      "", name=cell(row, cols.pos("School name")))
    if figures is None:
        return
    grade = cell(row, cols.pos(grade_col)).strip()
    if grade.upper() in ("", "NULL", "9"):
        outcome = None  # no graded inspection: the last graded outcome stays in place
    elif grade in profiles.OEIF_GRADES:
        rating = profiles.OEIF_GRADES[grade]
        concern = cell(row, cols.pos(concern_col)).strip().lower()
        if grade == "4" and ("special" in concern or concern == "sm"):
            rating = "Special Measures"
        elif grade == "4" and ("serious" in concern or concern == "swk"):
            rating = "Serious Weaknesses"
        try:
            inspected = parse_date(cell(row, cols.pos(date_col)))
        except ValueError:
            parsed.error(number, date_col, f"'{cell(row, cols.pos(date_col)).strip()}' is not a date",
                         "a date such as 12/06/2024")
            return
        outcome = OfstedOutcome(rating=rating, inspected=inspected)
    else:
        parsed.error(number, grade_col, f"grade '{grade}' is not an Ofsted grade", "1, 2, 3, 4, 9 or NULL")
        return
    if outcome:
        parsed.ofsted[figures.urn] = outcome
    if not legacy:
        try:
            inspected = parse_date(cell(row, cols.pos("Inspection start date")))
        except ValueError:
            parsed.error(number, "Inspection start date", "not a date", "a date such as 13/01/2026")
            return
        if inspected:
            parsed.report_card_years[figures.urn] = academic_year_of(inspected)
            areas = _report_card_areas(parsed, cols, number, row)
            if areas is None:
                return
            concern = cell(row, cols.pos("Category of concern")).strip()
            parsed.report_cards[figures.urn] = (inspected, "" if concern.upper() == "NULL" else concern[:60], areas)


def _report_card_areas(parsed, cols, number, row):
    """[[area, grade as Ofsted writes it, ISO date of the grade or None]] for the graded areas of a report card."""
    areas = []
    for measure in profiles.OFSTED_REPORT_CARD:
        column = measure.columns[0]
        grade = cell(row, cols.pos(column)).strip()
        if grade.upper() in ("", "NULL") or grade.lower() == "not applicable":
            continue
        area = column.replace(" (where applicable)", "")
        date_column = f"{area} - date of grade"
        try:
            graded = parse_date(cell(row, cols.pos(date_column)))
        except ValueError:
            parsed.error(number, date_column, f"'{cell(row, cols.pos(date_column)).strip()}' is not a date",
                         "a date such as 13/01/2026")
            return None
        areas.append([area, grade[0].upper() + grade[1:].lower(), graded.isoformat() if graded else None])
    return areas


def _report_card_row(parsed, state, number, row):
    """A copy of the row with report-card words replaced by the stored numbers ('Strong standard' -> 2)."""
    row = list(row)
    for _code, _unit, positions, _is_sum, label in state["measures"]:
        p = positions[0]
        text = cell(row, p).strip()
        if not text:
            continue
        low = text.lower()
        if low in profiles.REPORT_CARD_GRADES:
            row[p] = str(profiles.REPORT_CARD_GRADES[low])
        elif low == "not applicable":
            row[p] = "NA"
        elif low == "null":
            row[p] = "NULL"
        else:
            parsed.error(number, label, f"'{text}' is not a report-card grade",
                         "Exceptional, Strong standard, Expected standard, Needs attention, Urgent improvement, "
                         "Met, Not met, Not applicable or NULL")
            row[p] = ""
    return row
