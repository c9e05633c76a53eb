"""Ofsted report cards (inspections from November 2025) and their rule row: plain Python, no Django.

A report card grades each evaluation area on a five-point scale and says whether safeguarding
standards are met. It is never converted to the old 1-4 grades: it is banded by its own row of the
rule set:

    green: every area Expected standard or better, safeguarding Met
    amber: any area Needs attention
    red:   any area Urgent improvement, safeguarding Not met, or a category of concern

and counts in the priority as the 1-4 outcome does (red: P1, amber: P2). The band names the areas
that fired.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

GRADES = ("exceptional", "strong standard", "expected standard", "needs attention", "urgent improvement")
SAFEGUARDING = "Safeguarding standards"
NO_CONCERN = {"", "none", "null", "not applicable", "no", "n/a"}


class ReportCardRuleError(ValueError):
    pass


@dataclass(frozen=True)
class ReportCardFacts:
    inspected: dt.date
    grades: tuple  # ((area, grade as Ofsted writes it), ...), safeguarding among them
    category_of_concern: str = ""

    @property
    def safeguarding(self):
        return next((g for a, g in self.grades if a == SAFEGUARDING), "")


@dataclass(frozen=True)
class ReportCardRule:
    red_grades: tuple = ("urgent improvement",)
    amber_grades: tuple = ("needs attention",)
    red_if_safeguarding_not_met: bool = True
    red_if_concern: bool = True

    def __post_init__(self):
        for grade in (*self.red_grades, *self.amber_grades):
            if grade not in GRADES:
                raise ReportCardRuleError(f"report card: {grade!r} is not a grade (one of {', '.join(GRADES)})")

    def describe(self):
        red = " or ".join(g.capitalize() for g in self.red_grades)
        amber = " or ".join(g.capitalize() for g in self.amber_grades)
        extra = ", safeguarding Not met" if self.red_if_safeguarding_not_met else ""
        extra += ", or a category of concern" if self.red_if_concern else ""
        return (f"report card: red if any area {red}{extra}; amber if any area {amber}; "
                "green otherwise (every area Expected standard or better, safeguarding Met)")

    def band(self, card):
        """(band word "red" | "amber" | "green", what fired) for one report card."""
        areas = [(a, (g or "").strip().lower()) for a, g in card.grades if a != SAFEGUARDING]
        unknown = [f"{a} {g!r}" for a, g in areas if g and g not in GRADES]
        if unknown:
            raise ReportCardRuleError(f"report card grade not known: {', '.join(unknown)}")
        fired = [f"{a} {g.capitalize()}" for a, g in areas if g in self.red_grades]
        if self.red_if_safeguarding_not_met and card.safeguarding.strip().lower() == "not met":
            fired.append("safeguarding Not met")
        concern = (card.category_of_concern or "").strip()
        if self.red_if_concern and concern.lower() not in NO_CONCERN:
            fired.append(f"category of concern: {concern}")
        if fired:
            return "red", fired
        fired = [f"{a} {g.capitalize()}" for a, g in areas if g in self.amber_grades]
        if fired:
            return "amber", fired
        return "green", []

    def to_dict(self):
        return {"red_grades": list(self.red_grades), "amber_grades": list(self.amber_grades),
                "red_if_safeguarding_not_met": self.red_if_safeguarding_not_met,
                "red_if_concern": self.red_if_concern}

    @classmethod
    def from_dict(cls, data):
        if data is None:
            return None
        try:
            return cls(red_grades=tuple(g.strip().lower() for g in data["red_grades"]),
                       amber_grades=tuple(g.strip().lower() for g in data["amber_grades"]),
                       red_if_safeguarding_not_met=bool(data["red_if_safeguarding_not_met"]),
                       red_if_concern=bool(data["red_if_concern"]))
        except (KeyError, TypeError, AttributeError) as exc:
            raise ReportCardRuleError(f"the report-card rule is missing {exc}") from None
