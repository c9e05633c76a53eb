"""Performance data kinds (KS2, KS4, absence, census, Ofsted, suspensions) for the one import pipeline.

Two layers:
- `parse_table(header, rows, row_numbers, recognised, file_name)`: pure, no database. Turns the rows
  of a recognised file into school figures and LA/England benchmark figures, with every fatal
  problem (file, row, column, what was expected) and every warning collected.
- The `PerformanceKind` classes plug that into `schools.imports.pipeline`: validate() compares the
  figures with the database (new / changed / unchanged, nothing written); write() runs inside the
  pipeline's single transaction and writes only new and changed figures, set-based, recording a
  `ValueChange` for every figure a newer file replaced.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from ..years import academic_year_of, year_label
from . import profiles, year_checks
from .profiles import CellError, ProfileError, parse_cell

MAX_LISTED = 200
# A sum of rounded published percentages up to this is rounding, stored as 100 (PRODUCT.md).
SUM_ROUNDING_LIMIT = 100.5


# ------------------------------------------------------------------------------------ pure parsing
@dataclass
class Figures:
    """One row's figures: {measure code: (value, marker)} and the cohort it is about."""

    row: int
    values: dict
    cohort: int | None = None


@dataclass
class SchoolFigures(Figures):
    urn: int = 0
    la_code: str = ""
    name: str = ""
    closed: bool = False


@dataclass
class BenchmarkFigures(Figures):
    area: str = ""  # england | england_all | la
    la_code: str = ""
    phase: str = ""  # '' or PRI / SEC / SPE

    @property
    def key(self):
        return (self.area, self.la_code, self.phase)


@dataclass
class OfstedOutcome:
    """A graded (old 1-4) outcome for School.ofsted_rating/ofsted_date; None when the school has none."""

    rating: str
    inspected: date | None


@dataclass
class Problem:
    row: int | None
    column: str
    message: str
    expected: str = ""
    code: str = ""


@dataclass
class ParsedFile:
    recognised: profiles.Recognised
    year: int | None
    schools: dict = field(default_factory=dict)  # urn -> SchoolFigures
    benchmarks: list = field(default_factory=list)
    ofsted: dict = field(default_factory=dict)  # urn -> OfstedOutcome (Ofsted MI only)
    report_card_years: dict = field(default_factory=dict)  # urn -> academic year of the report card
    report_cards: dict = field(default_factory=dict)  # urn -> (inspected, category of concern, [[area, grade, date]])
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    error_count: int = 0
    rows_read: int = 0
    skipped: int = 0
    columns_used: dict = field(default_factory=dict)  # measure code -> column name(s)

    def error(self, row, column, message, expected=""):
        self.error_count += 1
        if len(self.errors) < MAX_LISTED:
            self.errors.append(Problem(row, column, message, expected))

    def warn(self, row, column, message, code):
        self.warnings.append(Problem(row, column, message, code=code))


_DIGITS = re.compile(r"^\d+$")
_PHASES = ("PRI", "SEC", "SPE")
EES_PHASES = {
    "state-funded primary": "PRI",
    "state-funded secondary": "SEC",
    "special": "SPE",
    "state-funded special": "SPE",
    "total": "",
}


class _Columns:
    """Positions of the columns a profile uses, looked up once by name (case and spacing ignored)."""

    def __init__(self, header):
        self.index = {}
        for i, name in enumerate(header):
            self.index.setdefault(_norm(name), i)
        self.header = header
        self._known = {}

    def pos(self, name):
        # Called for every row: remember each name's position instead of normalising it again.
        try:
            return self._known[name]
        except KeyError:
            self._known[name] = found = self.index.get(_norm(name))
            return found

    def names(self):
        return {_norm(h) for h in self.header}


def _norm(name):
    return re.sub(r"\s+", " ", (name or "").replace("\ufeff", "")).strip().lower()


def _cell(row, i):
    if i is None or i >= len(row):
        return ""
    return row[i]


def parse_table(header, numbered_rows, recognised):
    """(file row number, cells) pairs of a recognised file -> ParsedFile. Bad cells are collected, never raised."""
    profile = recognised.profile
    parsed = ParsedFile(recognised=recognised, year=recognised.year)
    cols = _Columns(header)
    present = {_norm(h) for h in header}
    measures = []  # (code, unit, [positions], sum?, column label)
    for m in profile.measures:
        located = _locate(m, present)
        if located:
            positions = [cols.pos(c) for c in located]
            measures.append((m.code, m.unit, positions, bool(m.sum_of), " + ".join(located)))
            parsed.columns_used[m.code] = " + ".join(located)
    cohort_pos = cols.pos(profile.cohort_column) if profile.cohort_column else None
    width = len(header)
    parser = {
        "rectype": _row_rectype,
        "absence": _row_absence,
        "census": _row_census,
        "ees": _row_ees,
        "ofsted": _row_ofsted,
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


def _locate(measure, present):
    if measure.sum_of:
        return measure.sum_of if all(_norm(c) in present for c in measure.sum_of) else ()
    for name in measure.columns:
        if _norm(name) in present:
            return (name,)
    return ()


def _values(parsed, state, number, row):
    """{code: (value, marker)} for one row; cell problems are recorded as errors."""
    out = {}
    seen = state.setdefault("seen", {})  # national files repeat the same few thousand cell texts
    for code, unit, positions, is_sum, label in state["measures"]:
        if is_sum:
            text = tuple(_cell(row, p) for p in positions)
        else:
            text = row[positions[0]] if positions[0] < len(row) else ""
        hit = seen.get((text, unit))
        if hit is not None:
            out[code] = hit
            continue
        try:
            if is_sum:
                parts = [parse_cell(t, unit) for t in text]
                marker = next((mk for _, mk in parts if mk), "")
                if marker:
                    out[code] = seen[(text, unit)] = (None, marker)
                else:
                    total = round(sum(v for v, _ in parts), 4)
                    if unit == "percent" and total > 100:
                        # Rounded published parts can pass 100 (93.8 + 6.3 = 100.1): up to 100.5 is 100.
                        if total > SUM_ROUNDING_LIMIT:
                            raise CellError(f"the parts add up to {total:g}%, over 100",
                                            f"parts adding up to at most 100% ({SUM_ROUNDING_LIMIT:g} with rounding)")
                        total = 100.0
                    out[code] = seen[(text, unit)] = (total, "")
            else:
                out[code] = seen[(text, unit)] = parse_cell(text, unit)
        except CellError as exc:
            column = label if not is_sum else _which(row, positions, label, unit)
            parsed.error(number, column, str(exc), exc.expected)
    return out


def _which(row, positions, label, unit):
    names = label.split(" + ")
    for name, p in zip(names, positions, strict=False):
        try:
            parse_cell(_cell(row, p), unit)
        except CellError:
            return name
    return label


def _cohort(parsed, state, number, row):
    pos = state["cohort_pos"]
    if pos is None:
        return None
    text = _cell(row, pos).strip()
    if not text:
        return None
    if _DIGITS.match(text):
        return int(text)
    try:
        value, marker = parse_cell(text, "count")
    except CellError as exc:
        parsed.error(number, state["cols"].header[pos], str(exc), "a whole number of pupils or a marker")
        return None
    if marker:
        return None
    if value is not None and value.is_integer():
        return int(value)
    parsed.error(number, state["cols"].header[pos], f"'{text}' is not a whole number of pupils", "a whole number")
    return None


def _school(parsed, state, number, row, urn_text, urn_column, la_code, name="", closed=False):
    urn_text = urn_text.strip()
    if not _DIGITS.match(urn_text):
        problem = f"the URN '{urn_text}' on a school row is not a number" if urn_text else "the URN of a school row is blank"
        parsed.error(number, urn_column, problem, "a URN: a whole number such as 125471")
        return None
    urn = int(urn_text)
    first = state["first_row"].get(urn)
    if first is not None:
        parsed.error(number, urn_column, f"URN {urn} appears twice among the school rows (also row {first})",
                     "each school once")
        return None
    state["first_row"][urn] = number
    values = _values(parsed, state, number, row)
    figures = SchoolFigures(row=number, values=values, cohort=_cohort(parsed, state, number, row), urn=urn,
                            la_code=la_code.strip(), name=name.strip(), closed=closed)
    if closed and all(v is None for v, _ in values.values()):
        parsed.warn(number, urn_column, f"URN {urn} is a closed school with no figures; skipped", "closed_no_values")
        parsed.skipped += 1
        return None
    parsed.schools[urn] = figures
    return figures


def _benchmark(parsed, state, number, row, area, la_code, phase, key_column):
    key = (area, la_code, phase)
    if key in state["bench_keys"]:
        parsed.warn(number, key_column, f"a second {area} {la_code} {phase} summary row; the first (row "
                    f"{state['bench_keys'][key]}) is used", "duplicate_summary_row")
        parsed.skipped += 1
        return
    state["bench_keys"][key] = number
    parsed.benchmarks.append(BenchmarkFigures(
        row=number, values=_values(parsed, state, number, row), cohort=_cohort(parsed, state, number, row),
        area=area, la_code=la_code, phase=phase,
    ))


def _row_rectype(parsed, state, number, row):
    cols = state["cols"]
    rectypes = parsed.recognised.profile.rectypes
    rectype = _cell(row, cols.pos("RECTYPE")).strip()
    role = rectypes.get(rectype)
    if role is None:
        parsed.error(number, "RECTYPE", f"record type '{rectype or 'blank'}' is not one of this file's record types",
                     "RECTYPE " + ", ".join(f"{k} ({v.replace('_', ' ')})" for k, v in rectypes.items()))
        return
    lea = _cell(row, cols.pos("LEA")).strip()
    if role == "school":
        closed = _cell(row, cols.pos("ICLOSE")).strip() == "1"
        _school(parsed, state, number, row, _cell(row, cols.pos("URN")), "URN", lea,
                name=_cell(row, cols.pos("SCHNAME")), closed=closed)
    elif role == "la":
        if not _DIGITS.match(lea):
            parsed.error(number, "LEA", f"the LA code '{lea or 'blank'}' on an LA row is not a number",
                         "a three-digit LA code such as 936")
            return
        _benchmark(parsed, state, number, row, "la", lea, "", "RECTYPE")
    else:
        _benchmark(parsed, state, number, row, role, "", "", "RECTYPE")


def _row_absence(parsed, state, number, row):
    # Summary rows: "NAT,PRI,,..." (England) and "919,SEC,,..." (the LA), by phase; schools have a URN.
    cols = state["cols"]
    la = _cell(row, cols.pos("LA")).strip()
    estab = _cell(row, cols.pos("ESTAB")).strip()
    urn = _cell(row, cols.pos("URN")).strip()
    if estab.upper() in _PHASES and not urn:
        if la.upper() == "NAT":
            _benchmark(parsed, state, number, row, "england", "", estab.upper(), "LA")
        elif _DIGITS.match(la):
            _benchmark(parsed, state, number, row, "la", la, estab.upper(), "LA")
        else:
            parsed.error(number, "LA", f"'{la or 'blank'}' on a summary row is neither NAT nor an LA code",
                         "NAT or a three-digit LA code")
        return
    _school(parsed, state, number, row, urn, "URN", la)


def _row_census(parsed, state, number, row):
    # Summary rows carry NAT or LA in the URN column: "NAT,,PRI,..." and "LA,815,SEC,...".
    cols = state["cols"]
    urn = _cell(row, cols.pos("URN")).strip()
    la = _cell(row, cols.pos("LA")).strip()
    estab = _cell(row, cols.pos("ESTAB")).strip().upper()
    if urn.upper() in ("NAT", "LA"):
        if estab not in _PHASES:
            parsed.error(number, "ESTAB", f"phase '{estab or 'blank'}' on a summary row is not known", "PRI, SEC or SPE")
            return
        if urn.upper() == "NAT":
            _benchmark(parsed, state, number, row, "england", "", estab, "URN")
        elif _DIGITS.match(la):
            _benchmark(parsed, state, number, row, "la", la, estab, "URN")
        else:
            parsed.error(number, "LA", f"the LA code '{la or 'blank'}' on an LA row is not a number",
                         "a three-digit LA code")
        return
    _school(parsed, state, number, row, urn, "URN", la)


def _row_ees(parsed, state, number, row):
    cols = state["cols"]
    period = _cell(row, cols.pos("time_period")).strip()
    if not re.match(r"^20\d{4}$", period):
        parsed.error(number, "time_period", f"time period '{period or 'blank'}' is not an academic year",
                     "six digits such as 202425")
        return
    year = int(period[:4])
    if parsed.year is None:
        parsed.year = year
    elif year != parsed.year:
        parsed.error(number, "time_period", f"time period {period} is {year_label(year)}, but the file is "
                     f"for {profiles.year_label(parsed.year)}", f"every row in {profiles.year_label(parsed.year)}")
        return
    level = _cell(row, cols.pos("geographic_level")).strip().lower() or "school"
    phase = EES_PHASES.get(_cell(row, cols.pos("education_phase")).strip().lower(), "")
    if level == "school":
        _school(parsed, state, number, row, _cell(row, cols.pos("school_urn")), "school_urn",
                _cell(row, cols.pos("old_la_code")), name=_cell(row, cols.pos("school_name")))
    elif level == "national":
        _benchmark(parsed, state, number, row, "england", "", phase, "geographic_level")
    elif level == "local authority":
        la = _cell(row, cols.pos("old_la_code")).strip()
        if _DIGITS.match(la):
            _benchmark(parsed, state, number, row, "la", la, phase, "geographic_level")
    else:
        parsed.skipped += 1  # regional and other levels are not comparators the portal uses


_DATE = re.compile(r"^(\d{1,2})[/-](\d{1,2})[/-](\d{4})$")


def parse_date(text):
    text = (text or "").strip()
    if not text or text.upper() == "NULL":
        return None
    m = _DATE.match(text)
    if m:
        return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    return datetime.strptime(text[:10], "%Y-%m-%d").date()


def _row_ofsted(parsed, state, number, row):
    cols = state["cols"]
    legacy = parsed.recognised.profile.name == "ofsted_mi_legacy"
    urn_text = _cell(row, cols.pos("URN"))
    if legacy:
        grade_col, date_col, concern_col = "Overall effectiveness", "Inspection start date", "Category of concern"
    else:
        grade_col = "Latest OEIF overall effectiveness"
        date_col = "Inspection start date of latest OEIF graded inspection"
        concern_col = "Latest OEIF category of concern"
    # Report-card grades are text; turn them into the stored scale before the shared value parsing.
    figures = _school(parsed, state, number, _report_card_row(parsed, state, number, row), urn_text, "URN",
                      "", name=_cell(row, cols.pos("School name")))
    if figures is None:
        return
    grade = _cell(row, cols.pos(grade_col)).strip()
    if grade.upper() in ("", "NULL", "9"):
        outcome = None  # no graded inspection: the last graded outcome stays in place
    elif grade in profiles.OEIF_GRADES:
        rating = profiles.OEIF_GRADES[grade]
        concern = _cell(row, cols.pos(concern_col)).strip().lower()
        if grade == "4" and ("special" in concern or concern == "sm"):
            rating = "Special Measures"
        elif grade == "4" and ("serious" in concern or concern == "swk"):
            rating = "Serious Weaknesses"
        try:
            inspected = parse_date(_cell(row, cols.pos(date_col)))
        except ValueError:
            parsed.error(number, date_col, f"'{_cell(row, cols.pos(date_col)).strip()}' is not a date",
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
            inspected = parse_date(_cell(row, cols.pos("Inspection start date")))
        except ValueError:
            parsed.error(number, "Inspection start date", "not a date", "a date such as 13/01/2026")
            return
        if inspected:
            parsed.report_card_years[figures.urn] = academic_year_of(inspected)
            areas = _report_card_areas(parsed, cols, number, row)
            if areas is None:
                return
            concern = _cell(row, cols.pos("Category of concern")).strip()
            parsed.report_cards[figures.urn] = (inspected, "" if concern.upper() == "NULL" else concern[:60], areas)


def _report_card_areas(parsed, cols, number, row):
    """[[area, grade as Ofsted writes it, ISO date of the grade or None]] for the graded areas of a report card."""
    areas = []
    for measure in profiles.OFSTED_REPORT_CARD:
        column = measure.columns[0]
        grade = _cell(row, cols.pos(column)).strip()
        if grade.upper() in ("", "NULL") or grade.lower() == "not applicable":
            continue
        area = column.replace(" (where applicable)", "")
        date_column = f"{area} - date of grade"
        try:
            graded = parse_date(_cell(row, cols.pos(date_column)))
        except ValueError:
            parsed.error(number, date_column, f"'{_cell(row, cols.pos(date_column)).strip()}' is not a date",
                         "a date such as 13/01/2026")
            return None
        areas.append([area, grade[0].upper() + grade[1:].lower(), graded.isoformat() if graded else None])
    return areas


def _report_card_row(parsed, state, number, row):
    """A copy of the row with report-card words replaced by the stored numbers ('Strong standard' -> 2)."""
    row = list(row)
    for _code, _unit, positions, _is_sum, label in state["measures"]:
        p = positions[0]
        text = _cell(row, p).strip()
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


def parse_file_rows(header, rows, row_numbers, file_name="", kind=None, year=None):
    """Recognise and parse in one go (tests and the demo). Raises ProfileError when nothing fits."""
    recognised = profiles.recognise(header, file_name, kind=kind, year=year)
    return parse_table(header, zip(row_numbers, rows, strict=True), recognised)


# --------------------------------------------------------------------------- pipeline kinds (database)
from django.utils import timezone  # noqa: E402

from pep_portal import bulk  # noqa: E402

from .pipeline import ImportProblem, Kind, Plan, load_existing, register_kind  # noqa: E402

VALUE_FIELDS = ("value", "marker", "cohort")


def _same_figure(old, new):
    """old/new: (value, marker, cohort). Floats from the same text compare equal; no tolerance needed."""
    return old[0] == new[0] and (old[1] or "") == (new[1] or "") and old[2] == new[2]


def _shown(value, marker):
    return marker if marker else value


class PerformanceKind(Kind):
    """One kind per DfE file family; all share the profile recognition and the figure tables."""

    order = 50
    needs_year = False  # the year comes from the header, name, rows or the user; refused in validate()

    def __init__(self, code):
        self.code = code
        self.label = profiles.KIND_LABELS[code]
        self.signature = profiles.KIND_SIGNS[code]
        self.description = f"{self.label}: DfE columns such as " + ", ".join(self.signature[:4])

    def score(self, table):
        # The performance kinds tell each other apart by their distinctive columns; the best match wins.
        if profiles.guess_kind(table.header) != self.code:
            return 0
        return 100 + profiles.score_kinds(table.header)[self.code]

    def detect_year(self, table):
        try:
            return profiles.recognise(table.header, table.file_name, kind=self.code).year
        except ProfileError:
            return None

    def expected_text(self):
        return f"{self.label} ({self.code}: columns such as {', '.join(self.signature[:4])})"

    # -- validate: read everything, compare with the database, write nothing
    def validate(self, ctx):
        from schools.models import Benchmark, Measure, School, Value

        table = ctx.table
        try:
            recognised = profiles.recognise(table.header, ctx.file_name, kind=self.code, year=ctx.year)
            if ctx.year is not None:
                # The pipeline passes on the year detect_year() found: keep where it came from.
                try:
                    found = profiles.recognise(table.header, ctx.file_name, kind=self.code)
                    if found.year == ctx.year:
                        recognised = found
                except ProfileError:
                    pass
        except ProfileError as exc:
            raise ImportProblem(str(exc), file=ctx.file_name, row=1, column=exc.column, expected=exc.expected) from None
        parsed = parse_table(table.header, ctx.iter_rows(), recognised)
        for p in parsed.errors:
            ctx.error(p.row, p.column, p.message, p.expected)
        ctx.error_count += parsed.error_count - len(parsed.errors)
        plan = Plan()
        if parsed.error_count:
            return plan
        for note in recognised.warnings:
            ctx.warn(None, "", note, code="year_mismatch")
        for w in parsed.warnings:
            ctx.warn(w.row, w.column, w.message, code=w.code)
        plan.skip(parsed.skipped)
        ctx.year = parsed.year
        profile = recognised.profile
        if ctx.record is not None:
            ctx.record.profile = profile.name

        measure_ids = dict(Measure.objects.filter(code__in=profile.measure_codes).values_list("code", "id"))
        missing = [c for c in parsed.columns_used if c not in measure_ids]
        if missing:
            raise ImportProblem(f"the measure {missing[0]} is not set up in the portal", file=ctx.file_name,
                                expected="the measures created by the schools migrations (run manage.py migrate)")

        # Schools: match URNs to the register; unknown URNs are warnings, listed and skipped.
        urns = list(parsed.schools)
        # A national file names most schools: one pass over the register beats thousands of IN lists.
        if len(urns) < 5000:
            register = {u: i for u, i in School.objects.filter(urn__in=urns).values_list("urn", "id")} if urns else {}
        else:
            register = dict(School.objects.values_list("urn", "id"))
        unknown = [u for u in urns if u not in register]
        for urn in unknown:
            f = parsed.schools[urn]
            ctx.warn(f.row, "URN" if profile.layout != "ees" else "school_urn",
                     f"URN {urn}{' (' + f.name + ')' if f.name else ''} is not in the register; skipped",
                     code="unknown_urn")
        plan.skip(len(unknown))
        matched = {urn: register[urn] for urn in urns if urn in register}
        if profile.kind != "ofsted":
            year_checks.check_prev_columns(ctx, recognised, parsed, matched, measure_ids)
        if urns and not matched:
            ctx.warn(None, "URN", "no schools of the partnership in this file", code="no_partnership_schools")

        value_rows, value_changes = [], []
        counts = {"new": 0, "changed": 0, "unchanged": 0, "final_kept": 0}
        # Provisional figures never replace final ones of the same year (a late provisional upload).
        keep_final = profile.name.startswith(("ks2_provisional", "ks4_provisional"))
        final_sources = set()

        def year_of(urn):
            if profile.kind == "ofsted":
                return parsed.report_card_years.get(urn)
            return parsed.year

        years = {year_of(u) for u in matched} - {None}
        existing = {}
        if matched and years and measure_ids:
            qs = Value.objects.filter(measure_id__in=measure_ids.values(), year__in=years)
            for row in qs.values_list("school_id", "measure_id", "year", "value", "marker", "cohort", "source_id"):
                existing[row[:3]] = row[3:]
        if keep_final:
            final_sources = _final_sources(existing.values())
        # An Ofsted row gets one status from its report card and its judgement together (settled below),
        # so rows read = new + changed + unchanged + skipped, like every other file.
        ofsted_rows = {}
        for urn, school_id in matched.items():
            f = parsed.schools[urn]
            year = year_of(urn)
            if year is None:
                ofsted_rows[urn] = ("unchanged", {})  # no report card: nothing for the value table
                continue
            status, changes = self._compare_figures(
                f, year, measure_ids, existing, (school_id,), value_rows, value_changes, counts, final_sources)
            if profile.kind == "ofsted":
                ofsted_rows[urn] = (status, changes)
            else:
                plan.add(urn, status, changes=changes, row=f.row, label=f.name or str(urn))

        bench_rows, bench_changes = [], []
        bench_existing = {}
        if parsed.benchmarks and measure_ids:
            qs = Benchmark.objects.filter(measure_id__in=measure_ids.values(), year=parsed.year)
            for row in qs.values_list("area", "la_code", "phase", "measure_id", "year", "value", "marker", "cohort",
                                      "source_id"):
                bench_existing[(row[0], row[1], row[2], row[3], row[4])] = row[5:]
            if keep_final:
                final_sources |= _final_sources(bench_existing.values())
        for b in parsed.benchmarks:
            status, changes = self._compare_figures(
                b, parsed.year, measure_ids, bench_existing, b.key, bench_rows, bench_changes, counts, final_sources)
            label = {"england": "England (state-funded)", "england_all": "England (all schools)"}.get(
                b.area, f"LA {b.la_code}") + (f" {b.phase}" if b.phase else "")
            plan.add(label, status, changes=changes, row=b.row, label=label)

        if profile.kind != "ofsted":
            names = {matched[u]: parsed.schools[u].name or f"URN {u}" for u in matched}
            plan.replaces = year_checks.final_replacements(parsed.year, value_changes, bench_changes, names)
        ofsted_updates = []
        current_ofsted = load_existing(School.objects.all(), "id", ["ofsted_rating", "ofsted_date"],
                                       keys=[matched[u] for u in parsed.ofsted if u in matched]) if parsed.ofsted else {}
        for urn, outcome in parsed.ofsted.items():
            if urn not in matched:
                continue
            current = current_ofsted[matched[urn]]
            if current["ofsted_date"] and outcome.inspected and outcome.inspected < current["ofsted_date"]:
                continue  # the register already has a later graded inspection
            if current["ofsted_rating"] != outcome.rating or current["ofsted_date"] != outcome.inspected:
                ofsted_updates.append((matched[urn], outcome.rating, outcome.inspected))
                status, changes = ofsted_rows.get(urn, ("unchanged", {}))
                ofsted_rows[urn] = ("changed" if status == "unchanged" else status, {**changes, "Ofsted": (
                    f"{current['ofsted_rating'] or 'none'} {current['ofsted_date'] or ''}".strip(),
                    f"{outcome.rating} {outcome.inspected or ''}".strip())})
        card_changes = report_card_changes(parsed.report_cards, matched)
        changed_cards = {school_id for school_id, *_ in card_changes}
        for urn, (status, changes) in ofsted_rows.items():
            if status == "unchanged" and matched[urn] in changed_cards:
                status = "changed"  # a new or newer report card is a change of this row too
            f = parsed.schools[urn]
            plan.add(urn, status, changes=changes, row=f.row, label=f.name or str(urn))

        plan.payload = {
            "values": value_rows, "value_changes": value_changes,
            "benchmarks": bench_rows, "benchmark_changes": bench_changes,
            "ofsted": ofsted_updates, "year": parsed.year, "report_cards": card_changes,
        }
        plan.summary = {
            "file profile": profile.label,
            "year read from": recognised.year_source,
            "columns used": ", ".join(f"{k} from {v}" for k, v in parsed.columns_used.items()),
            "school rows": len(parsed.schools),
            "schools in the register": len(matched),
            "schools not in the register (skipped)": len(unknown),
            "LA and England rows": len(parsed.benchmarks),
            "figures new": counts["new"],
            "figures changed": counts["changed"],
            "figures unchanged": counts["unchanged"],
        }
        if counts["final_kept"]:
            plan.summary["final figures kept"] = counts["final_kept"]
            ctx.warn(None, "", f"{counts['final_kept']:,} figures already come from a final file for this year and "
                     "were kept (provisional figures do not replace final ones)", code="final_kept")
        if profile.kind == "ofsted":
            plan.summary["Ofsted judgements updated"] = len(ofsted_updates)
            plan.summary["report cards (from November 2025) new or changed"] = len(plan.payload["report_cards"])
        if urns and not matched:
            plan.summary["note"] = "no schools of the partnership in this file"
        for note in profile.notes:
            plan.summary.setdefault("about this year", note)
        return plan

    @staticmethod
    def _compare_figures(figures, year, measure_ids, existing, key, out_rows, out_changes, counts, final_sources):
        statuses, changes = set(), {}
        for code, (value, marker) in figures.values.items():
            mid = measure_ids[code]
            new = (value, marker, figures.cohort)
            old = existing.get((*key, mid, year))
            if old is not None and old[3] in final_sources:
                counts["final_kept"] += 1
                counts["unchanged"] += 1
            elif old is None:
                statuses.add("new")
                counts["new"] += 1
                out_rows.append((*key, mid, year, *new))
            elif _same_figure(old[:3], new):
                counts["unchanged"] += 1
            else:
                statuses.add("changed")
                counts["changed"] += 1
                out_rows.append((*key, mid, year, *new))
                out_changes.append((*key, mid, year, old[0], old[1] or "", value, marker, old[3]))
                changes[code] = (_shown(old[0], old[1]), _shown(value, marker))
        if "changed" in statuses:
            status = "changed"
        elif "new" in statuses:
            status = "new"
        else:
            status = "unchanged"
        return status, changes

    # -- write: inside the pipeline's one transaction; only new and changed figures, set-based
    def write(self, ctx, plan):
        from schools.models import Benchmark, School, Value, ValueChange

        payload = plan.payload
        record_id = ctx.record.pk if ctx.record is not None else None
        now = timezone.now()
        bulk.upsert(Value, ("school_id", "measure_id", "year", "value", "marker", "cohort", "source_id", "updated_at"),
                    ((*r, record_id, now) for r in payload["values"]), unique=("school_id", "measure_id", "year"),
                    update=("value", "marker", "cohort", "source_id", "updated_at"))
        bulk.upsert(Benchmark, ("area", "la_code", "phase", "measure_id", "year", "value", "marker", "cohort",
                                "source_id"),
                    ((*r, record_id) for r in payload["benchmarks"]),
                    unique=("area", "la_code", "measure_id", "year", "phase"),
                    update=("value", "marker", "cohort", "source_id"))
        if record_id is not None:
            bulk.insert(ValueChange, CHANGE_FIELDS, _change_rows(payload, record_id, now))
        write_report_cards(payload["report_cards"], record_id)
        if payload["ofsted"]:
            School.objects.bulk_update(
                [School(id=i, ofsted_rating=r, ofsted_date=d) for i, r, d in payload["ofsted"]],
                ["ofsted_rating", "ofsted_date"], batch_size=500,
            )
        # Rows (school or summary rows) with at least one new or changed figure or Ofsted judgement.
        return plan.new + plan.changed


def report_card_changes(cards, matched):
    """[(school id, inspected, concern, areas)] of the report cards that are new or newer than the stored ones."""
    from schools.models import ReportCard

    wanted = {matched[u]: card for u, card in cards.items() if u in matched}
    if not wanted:
        return []
    stored = {sid: (d, c, a) for sid, d, c, a in ReportCard.objects.filter(school_id__in=list(wanted)).values_list(
        "school_id", "inspected_on", "category_of_concern", "areas")}
    out = []
    for school_id, (inspected, concern, areas) in wanted.items():
        old = stored.get(school_id)
        if old is not None and (old[0] > inspected or old == (inspected, concern, areas)):
            continue  # the stored card is later, or the same
        out.append((school_id, inspected, concern, areas))
    return out


def write_report_cards(changes, record_id):
    from schools.models import ReportCard

    if not changes:
        return
    ReportCard.objects.filter(school_id__in=[c[0] for c in changes]).delete()
    ReportCard.objects.bulk_create([ReportCard(school_id=sid, inspected_on=d, category_of_concern=c, areas=a,
                                               source_id=record_id) for sid, d, c, a in changes], batch_size=1000)


def _final_sources(existing_rows):
    """Import ids among the existing figures' sources that were final KS2/KS4 files."""
    from schools.models import ImportRecord

    ids = {row[3] for row in existing_rows if row[3] is not None}
    if not ids:
        return set()
    return set(ImportRecord.objects.filter(pk__in=ids, profile__contains="_final_").values_list("pk", flat=True))


CHANGE_FIELDS = ("school_id", "benchmark_area", "benchmark_la_code", "benchmark_phase", "measure_id", "year",
                 "old_value", "old_marker", "new_value", "new_marker", "old_source_id", "source_id", "changed_at",
                 "trust_uid")


def _change_rows(payload, record_id, now):
    """ValueChange rows of the figures a newer file replaced: schools' first, then LA and England ones."""
    for c in payload["value_changes"]:
        yield (c[0], "", "", "", c[1], c[2], c[3], c[4], c[5], c[6], c[7], record_id, now, None)
    for c in payload["benchmark_changes"]:
        yield (None, c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], record_id, now, None)


for _code in profiles.KINDS:
    register_kind(PerformanceKind(_code))
