"""A recognised performance file's rows -> figures, pure (no database): one reader per file layout
(DfE RECTYPE tables, absence, census, explore-education-statistics, Ofsted) over the cell reading of
figures.py. Bad cells are collected as problems, never raised."""

from __future__ import annotations

import re
from dataclasses import replace

from ..years import year_label
from . import profiles
from .figures import DIGITS, EES_PHASES, PHASES, Columns, ParsedFile, benchmark, cell, locate, norm, school
from .ofsted_rows import row_ofsted


def parse_table(header, numbered_rows, recognised):
    """(file row number, cells) pairs of a recognised file -> ParsedFile. Bad cells are collected, never raised."""
    profile = recognised.profile
    parsed = ParsedFile(recognised=recognised, year=recognised.year)
    cols = Columns(header)
    present = {norm(h) for h in header}
    measures = []  # (code, unit, [positions], sum?, column label)
    for m in profile.measures:
        located = locate(m, present)
        if located:
            positions = [cols.pos(c) for c in located]
            measures.append((m.code, recognised.unit(m.code), positions, bool(m.sum_of), " + ".join(located)))
            parsed.columns_used[m.code] = " + ".join(located)
    cohort_pos = cols.pos(profile.cohort_column) if profile.cohort_column else None
    width = len(header)
    parser = {
        "rectype": _row_rectype,
        "absence": _row_absence,
        "census": _row_census,
        "ees": _row_ees,
        "ofsted": row_ofsted,
    }[profile.layout]
    state = {"cols": cols, "measures": measures, "cohort_pos": cohort_pos, "first_row": {}, "bench_keys": {}}
    for number, row in numbered_rows:
        if not row or not any(c.strip() for c in row):
            continue
        parsed.rows_read += 1
        if len(row) > width and any(c.strip() for c in row[width:]):
            extra = next(i for i, c in enumerate(row[width:]) if c.strip())
            parsed.error(number, f"field {width + extra + 1} (after the last column)",
                         f"the row has {len(row)} fields, more than the {width} columns of the header",
                         f"at most {width} fields, or empty extra fields")
            continue
        parser(parsed, state, number, row)
    if profile.layout == "ees" and parsed.year is None and not parsed.error_count:
        parsed.error(None, "time_period", "no row gives the time period", "a time_period such as 202425")
    return parsed


def _row_rectype(parsed, state, number, row):
    cols = state["cols"]
    rectypes = parsed.recognised.profile.rectypes
    rectype = cell(row, cols.pos("RECTYPE")).strip()
    role = rectypes.get(rectype)
    if role is None:
        parsed.error(number, "RECTYPE", f"record type '{rectype or 'blank'}' is not one of this file's record types",
                     "RECTYPE " + ", ".join(f"{k} ({v.replace('_', ' ')})" for k, v in rectypes.items()))
        return
    lea = cell(row, cols.pos("LEA")).strip()
    if role == "school":
        closed = cell(row, cols.pos("ICLOSE")).strip() == "1"
        school(parsed, state, number, row, cell(row, cols.pos("URN")), "URN", lea,
                name=cell(row, cols.pos("SCHNAME")), closed=closed)
    elif role == "la":
        if not DIGITS.match(lea):
            parsed.error(number, "LEA", f"the LA code '{lea or 'blank'}' on an LA row is not a number",
                         "a three-digit LA code such as 936")
            return
        benchmark(parsed, state, number, row, "la", lea, "", "RECTYPE")
    else:
        benchmark(parsed, state, number, row, role, "", "", "RECTYPE")


def _row_absence(parsed, state, number, row):
    # Summary rows: "NAT,PRI,,..." (England) and "919,SEC,,..." (the LA), by phase; schools have a URN.
    cols = state["cols"]
    la = cell(row, cols.pos("LA")).strip()
    estab = cell(row, cols.pos("ESTAB")).strip()
    urn = cell(row, cols.pos("URN")).strip()
    if estab.upper() in PHASES and not urn:
        if la.upper() == "NAT":
            benchmark(parsed, state, number, row, "england", "", estab.upper(), "LA")
        elif DIGITS.match(la):
            benchmark(parsed, state, number, row, "la", la, estab.upper(), "LA")
        else:
            parsed.error(number, "LA", f"'{la or 'blank'}' on a summary row is neither NAT nor an LA code",
                         "NAT or a three-digit LA code")
        return
    school(parsed, state, number, row, urn, "URN", la)


def _row_census(parsed, state, number, row):
    # Summary rows carry NAT or LA in the URN column: "NAT,,PRI,..." and "LA,815,SEC,...".
    cols = state["cols"]
    urn = cell(row, cols.pos("URN")).strip()
    la = cell(row, cols.pos("LA")).strip()
    estab = cell(row, cols.pos("ESTAB")).strip().upper()
    if urn.upper() in ("NAT", "LA"):
        if estab not in PHASES:
            parsed.error(number, "ESTAB", f"phase '{estab or 'blank'}' on a summary row is not known", "PRI, SEC or SPE")
            return
        if urn.upper() == "NAT":
            benchmark(parsed, state, number, row, "england", "", estab, "URN")
        elif DIGITS.match(la):
            benchmark(parsed, state, number, row, "la", la, estab, "URN")
        else:
            parsed.error(number, "LA", f"the LA code '{la or 'blank'}' on an LA row is not a number",
                         "a three-digit LA code")
        return
    school(parsed, state, number, row, urn, "URN", la)


def _row_ees(parsed, state, number, row):
    cols = state["cols"]
    period = cell(row, cols.pos("time_period")).strip()
    if not re.match(r"^20\d{4}$", period):
        parsed.error(number, "time_period", f"time period '{period or 'blank'}' is not an academic year",
                     "six digits such as 202425")
        return
    year = int(period[:4])
    if parsed.year is None:
        parsed.year = year
    elif year != parsed.year:
        parsed.error(number, "time_period", f"time period {period} is {year_label(year)}, but the file is "
                     f"for {year_label(parsed.year)}", f"every row in {year_label(parsed.year)}")
        return
    level = cell(row, cols.pos("geographic_level")).strip().lower() or "school"
    phase = EES_PHASES.get(cell(row, cols.pos("education_phase")).strip().lower(), "")
    if level == "school":
        school(parsed, state, number, row, cell(row, cols.pos("school_urn")), "school_urn",
                cell(row, cols.pos("old_la_code")), name=cell(row, cols.pos("school_name")))
    elif level == "national":
        benchmark(parsed, state, number, row, "england", "", phase, "geographic_level")
    elif level == "local authority":
        la = cell(row, cols.pos("old_la_code")).strip()
        if DIGITS.match(la):
            benchmark(parsed, state, number, row, "la", la, phase, "geographic_level")
    else:
        parsed.skipped += 1  # regional and other levels are not comparators the portal uses


def parse_file_rows(header, rows, row_numbers, file_name="", kind=None, year=None, *, units):
    """Recognise and parse in one go (tests and the demo), with the catalogue's {code: unit}. Raises ProfileError
    when nothing fits."""
    recognised = replace(profiles.recognise(header, file_name, kind=kind, year=year), units=units)
    return parse_table(header, zip(row_numbers, rows, strict=True), recognised)
