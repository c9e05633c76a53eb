"""Who the school is (its phases, LA, Ofsted), its published figures, and the comparators each measure is
banded against. Plain Python, no Django."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from schools.numbers import figure

from .rating_basics import PRIMARY, SECONDARY, SPECIAL, ComparatorKind
from .report_cards import ReportCardFacts

ABSENCE_PHASE_BY_GIAS = {
    "primary": "PRI",
    "middle deemed primary": "PRI",
    "secondary": "SEC",
    "middle deemed secondary": "SEC",
    "all-through": "SEC",
    "all through": "SEC",
    "16 plus": "SEC",
}


def classify_school(phase_name, type_name="", *, special_flag=False):
    """(rating phases, absence comparator phase) for a school from its GIAS phase and type.

    Special schools (a type with "special" in its name, RECTYPE 2, or phase "special") are rated only
    on absence against the SPE row and on Ofsted. An all-through school covers primary and secondary.
    """
    phase = (phase_name or "").strip().lower().replace("_", " ")
    if special_flag or "special" in (type_name or "").lower() or phase == "special":
        return frozenset({SPECIAL}), "SPE"
    if phase in ("primary", "middle deemed primary"):
        return frozenset({PRIMARY}), "PRI"
    if phase in ("secondary", "middle deemed secondary", "16 plus"):
        return frozenset({SECONDARY}), "SEC"
    if phase in ("all-through", "all through"):
        return frozenset({PRIMARY, SECONDARY}), "SEC"
    return frozenset(), ""


@dataclass(frozen=True)
class SchoolFacts:
    key: object  # whatever the caller identifies the school by (URN, id)
    phases: frozenset  # some of PRIMARY, SECONDARY, SPECIAL
    absence_phase: str = ""  # PRI, SEC or SPE
    la_code: str = ""
    ofsted_outcome: str = ""  # latest graded overall outcome as the register writes it
    ofsted_date: dt.date | None = None
    report_card: ReportCardFacts | None = None  # the latest report card (from November 2025), if any


class Figure(NamedTuple):
    """A published figure: a number, or a marker saying why there is none. (A tuple: runs make 500,000.)"""

    value: float | None = None
    marker: str = ""
    cohort: int | None = None


class Comparators:
    """Benchmark figures: (area, la_code, measure, year, phase) -> value (None for a marker)."""

    def __init__(self, rows=()):
        self._rows = {}
        for area, la_code, measure, year, phase, value in rows:
            self._rows[(area, la_code or "", measure, year, phase or "")] = value

    def add(self, area, la_code, measure, year, phase, value):
        self._rows[(area, la_code or "", measure, year, phase or "")] = value

    def get(self, area, la_code, measure, year, phase=""):
        return self._rows.get((area, la_code or "", measure, year, phase or ""))

    def years(self, measure):
        return sorted({key[3] for key in self._rows if key[2] == measure})


@dataclass(frozen=True)
class Comparator:
    value: float | None
    name: str  # "national", "LA", "statistical neighbours", "0"
    note: str = ""  # e.g. "neighbours: no data, England used"


def comparator_for(rule, school, year, comparators, neighbours=()):
    phase = school.absence_phase if rule.by_phase else ""
    if rule.by_phase and not phase:
        return Comparator(None, "national", "no comparator phase for this school")
    kind = rule.comparator
    if kind is ComparatorKind.FIXED:
        return Comparator(float(rule.fixed_value), figure(rule.fixed_value))
    if kind is ComparatorKind.LA:
        return Comparator(comparators.get("la", school.la_code, rule.measure, year, phase), "LA")
    if kind is ComparatorKind.NEIGHBOURS:
        figures = [comparators.get("la", code, rule.measure, year, phase) for code in neighbours]
        if figures and all(f is not None for f in figures):
            return Comparator(sum(figures) / len(figures), "statistical neighbours")
        # Neighbours without their LA files are "no data", and England is used instead.
        england = comparators.get("england", "", rule.measure, year, phase)
        return Comparator(england, "national", "statistical neighbours: no data, England used")
    return Comparator(comparators.get("england", "", rule.measure, year, phase), "national")
