"""Figures read from a performance file, pure (no database): what one row gives (school or LA/England
summary), every problem found, and the cell-level reading shared by every file layout (parsing.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from . import profiles
from .cells import CellError, parse_cell

MAX_LISTED = 200
# A sum of rounded published percentages up to this is rounding, stored as 100.
SUM_ROUNDING_LIMIT = 100.5


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


DIGITS = re.compile(r"^\d+$")
PHASES = ("PRI", "SEC", "SPE")
EES_PHASES = {
    "state-funded primary": "PRI",
    "state-funded secondary": "SEC",
    "special": "SPE",
    "state-funded special": "SPE",
    "total": "",
}


class Columns:
    """Positions of the columns a profile uses, looked up once by name (case and spacing ignored)."""

    def __init__(self, header):
        self.index = {}
        for i, name in enumerate(header):
            self.index.setdefault(norm(name), i)
        self.header = header
        self._known = {}

    def pos(self, name):
        # Called for every row: remember each name's position instead of normalising it again.
        try:
            return self._known[name]
        except KeyError:
            self._known[name] = found = self.index.get(norm(name))
            return found

    def names(self):
        return {norm(h) for h in self.header}


def norm(name):
    return re.sub(r"\s+", " ", (name or "").replace("\ufeff", "")).strip().lower()


def cell(row, i):
    if i is None or i >= len(row):
        return ""
    return row[i]


def locate(measure, present):
    if measure.sum_of:
        return measure.sum_of if all(norm(c) in present for c in measure.sum_of) else ()
    for name in measure.columns:
        if norm(name) in present:
            return (name,)
    return ()


def read_values(parsed, state, number, row):
    """{code: (value, marker)} for one row; cell problems are recorded as errors."""
    out = {}
    seen = state.setdefault("seen", {})  # national files repeat the same few thousand cell texts
    for code, unit, positions, is_sum, label in state["measures"]:
        if is_sum:
            text = tuple(cell(row, p) for p in positions)
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
            parse_cell(cell(row, p), unit)
        except CellError:
            return name
    return label


def _cohort(parsed, state, number, row):
    pos = state["cohort_pos"]
    if pos is None:
        return None
    text = cell(row, pos).strip()
    if not text:
        return None
    if DIGITS.match(text):
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


def school(parsed, state, number, row, urn_text, urn_column, la_code, name="", closed=False):
    urn_text = urn_text.strip()
    if not DIGITS.match(urn_text):
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
    values = read_values(parsed, state, number, row)
    figures = SchoolFigures(row=number, values=values, cohort=_cohort(parsed, state, number, row), urn=urn,
                            la_code=la_code.strip(), name=name.strip(), closed=closed)
    if closed and all(v is None for v, _ in values.values()):
        parsed.warn(number, urn_column, f"URN {urn} is a closed school with no figures; skipped", "closed_no_values")
        parsed.skipped += 1
        return None
    parsed.schools[urn] = figures
    return figures


def benchmark(parsed, state, number, row, area, la_code, phase, key_column):
    key = (area, la_code, phase)
    if key in state["bench_keys"]:
        parsed.warn(number, key_column, f"a second {area} {la_code} {phase} summary row; the first (row "
                    f"{state['bench_keys'][key]}) is used", "duplicate_summary_row")
        parsed.skipped += 1
        return
    state["bench_keys"][key] = number
    parsed.benchmarks.append(BenchmarkFigures(
        row=number, values=read_values(parsed, state, number, row), cohort=_cohort(parsed, state, number, row),
        area=area, la_code=la_code, phase=phase,
    ))
