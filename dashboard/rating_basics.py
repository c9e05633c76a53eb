"""The rating engine's vocabulary: bands, priorities, polarity, comparator kinds, phases, markers and
errors, and the catalogue of measures it is handed. Plain Python, no Django.

The engine keeps no list of measures of its own: whoever runs it hands in a `Catalogue` (the portal
builds it from the Measure table, see schools/measures.py), so an admin's edit of a measure's polarity
or label is what the next rating reads.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum


class RatingError(ValueError):
    """A rating cannot be computed with what was given."""


class UnknownMeasure(RatingError):
    pass


class IncompleteRuleSet(RatingError):
    pass


class Band(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    NOT_RATED = "not_rated"

    @property
    def label(self):
        return {"green": "Green", "amber": "Amber", "red": "Red", "not_rated": "Not rated"}[self.value]


class Priority(StrEnum):
    P1 = "1"
    P2 = "2"
    P3 = "3"
    NOT_RATED = ""

    @property
    def label(self):
        return f"Priority {self.value}" if self.value else "Not rated"


class Polarity(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"
    NONE = "none"


class ComparatorKind(StrEnum):
    ENGLAND = "england"  # the national state-funded row for the same year
    LA = "la"  # the school's own LA row
    NEIGHBOURS = "neighbours"  # mean of the statistical neighbours' LA rows
    FIXED = "fixed"  # a fixed number, e.g. 0 for progress scores


# Phases a rule can apply to. A school covers one or more: all-through schools both primary and
# secondary; special schools only "special" (rated on absence and Ofsted, never on attainment).
PRIMARY, SECONDARY, SPECIAL = "primary", "secondary", "special"
ALL_PHASES = frozenset({PRIMARY, SECONDARY, SPECIAL})


@dataclass(frozen=True)
class MeasureInfo:
    code: str
    label: str  # as reasons write it: "KS2 RWM"
    polarity: Polarity
    unit: str  # "percent", "score", "count" or "grade"
    kind: str = ""  # the kind of file it comes from: each kind is rated on its own latest year


class Catalogue:
    """The measures the engine knows, by code. A code not in it is an error, not a guess."""

    def __init__(self, infos=()):
        self._infos = {info.code: info for info in infos}

    def info(self, code):
        try:
            return self._infos[code]
        except KeyError:
            raise UnknownMeasure(f"unknown measure {code!r}") from None

    def polarity(self, code):
        return self.info(code).polarity

    def __contains__(self, code):
        return code in self._infos

    def __iter__(self):
        return iter(self._infos.values())

    def __len__(self):
        return len(self._infos)


MARKERS = {
    "SUPP": "suppressed",
    "NE": "no entries",
    "NP": "not published",
    "NA": "not applicable",
    "NEW": "new school",
    "LOWCOV": "low coverage",
    "SP": "small percentage",
    "BLANK": "blank",
    "c": "confidential",
    "x": "not available",
    "z": "not applicable",
    "low": "rounds to zero",
    "u": "low reliability",
    ":": "not available",
    "NULL": "null",
}


def is_number(x):
    if type(x) is float:
        return math.isfinite(x)
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)
