"""The rating engine: plain Python, no Django.

Given a rule set, one school's facts (phases, Ofsted), its published figures and the comparators,
`rate_school` returns each measure's band with the rule that fired, the trend and inspection-age
flags, and the school's priority with its reasons. Everything the database knows is handed in as
plain data (see `runs.py`), so every band edge can be tested alone and a run for 22,000 schools is
a loop over dictionaries.

The default rule set is the partnership's agreed table of measures and rating rules, exactly.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import NamedTuple

from schools.numbers import figure
from schools.years import academic_year_of, year_label

from .rating_years import RatingYears, rating_years  # noqa: F401 - re-exported for callers
from .report_cards import ReportCardFacts, ReportCardRule, ReportCardRuleError  # noqa: F401 - re-exported


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
    unit: str  # "percent" or "score"
    kind: str = ""  # the kind of file it comes from: each kind is rated on its own latest year


# Every agreed measure code with its polarity. A code not here is an error, not a guess.
MEASURES = {
    m.code: m
    for m in (
        MeasureInfo("ks2_rwm_exp", "KS2 RWM", Polarity.HIGHER, "percent", "ks2"),
        MeasureInfo("ks2_rwm_high", "KS2 RWM higher standard", Polarity.HIGHER, "percent", "ks2"),
        MeasureInfo("ks2_read_prog", "KS2 reading progress", Polarity.HIGHER, "score", "ks2"),
        MeasureInfo("ks2_writ_prog", "KS2 writing progress", Polarity.HIGHER, "score", "ks2"),
        MeasureInfo("ks2_mat_prog", "KS2 maths progress", Polarity.HIGHER, "score", "ks2"),
        MeasureInfo("ks2_dis_rwm_exp", "KS2 disadvantaged RWM", Polarity.HIGHER, "percent", "ks2"),
        MeasureInfo("ks4_att8", "KS4 Attainment 8", Polarity.HIGHER, "score", "ks4"),
        MeasureInfo("ks4_p8", "KS4 Progress 8", Polarity.HIGHER, "score", "ks4"),
        MeasureInfo("ks4_basics_95", "KS4 grade 5+ English and maths", Polarity.HIGHER, "percent", "ks4"),
        MeasureInfo("ks4_ebacc_aps", "KS4 EBacc APS", Polarity.HIGHER, "score", "ks4"),
        MeasureInfo("abs_overall", "overall absence", Polarity.LOWER, "percent", "absence"),
        MeasureInfo("abs_persistent", "persistent absence", Polarity.LOWER, "percent", "absence"),
        # Persistent absence at the 15% threshold (to 2014/15) is a different measure, never one series.
        MeasureInfo("abs_persistent_15", "persistent absence (15% threshold)", Polarity.LOWER, "percent", "absence"),
        MeasureInfo("suspension_rate", "suspension rate", Polarity.LOWER, "percent", "suspensions"),
        MeasureInfo("perm_exclusion_rate", "permanent exclusion rate", Polarity.LOWER, "percent", "suspensions"),
        MeasureInfo("pupils", "pupils", Polarity.NONE, "count", "census"),
        MeasureInfo("fsm_percent", "FSM", Polarity.NONE, "percent", "census"),
        MeasureInfo("sen_percent", "SEN", Polarity.NONE, "percent", "census"),
        MeasureInfo("eal_percent", "EAL", Polarity.NONE, "percent", "census"),
        # Ofsted report cards (from November 2025): shown, not banded, until a partnership sets a rule.
        *(
            MeasureInfo(f"ofsted_rc_{area}", f"Ofsted report card: {area.replace('_', ' ')}", Polarity.NONE, "grade",
                        "ofsted")
            for area in (
                "safeguarding",
                "inclusion",
                "curriculum",
                "achievement",
                "attendance",
                "personal_dev",
                "early_years",
                "post16",
                "leadership",
            )
        ),
    )
}


def measure_info(code):
    try:
        return MEASURES[code]
    except KeyError:
        raise UnknownMeasure(f"unknown measure {code!r}") from None


def polarity(code):
    return measure_info(code).polarity


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


@dataclass(frozen=True)
class MeasureRule:
    measure: str
    comparator: ComparatorKind
    # Green at or beyond the comparator plus green_margin (0 by default); amber within amber_width
    # on the wrong side; red beyond that. For "lower is better" the sides swap.
    amber_width: float
    green_margin: float = 0.0
    fixed_value: float | None = None  # for ComparatorKind.FIXED
    phases: frozenset = frozenset({PRIMARY})
    # Absence comparators are the England row for the school's phase (PRI, SEC, SPE).
    by_phase: bool = False
    core: bool = True
    min_cohort: int = 11

    @property
    def info(self):
        return measure_info(self.measure)

    def describe(self):
        """The rule in words, stored with every band as the rule that fired."""
        info = self.info
        comp = comparator_name(self)
        if info.polarity is Polarity.HIGHER:
            green = f"green at or above {comp}" + (f" + {figure(self.green_margin)}" if self.green_margin else "")
            return f"{green}; amber down to {comp} - {figure(self.amber_width)}; red below"
        green = f"green at or below {comp}" + (f" - {figure(self.green_margin)}" if self.green_margin else "")
        return f"{green}; amber up to {comp} + {figure(self.amber_width)}; red above"


@dataclass(frozen=True)
class OfstedRule:
    red: tuple = ("serious weaknesses", "special measures", "inadequate")
    amber: tuple = ("requires improvement",)
    green: tuple = ("good", "outstanding")

    def band(self, outcome):
        text = (outcome or "").strip().lower()
        if text in self.red:
            return Band.RED
        if text in self.amber:
            return Band.AMBER
        if text in self.green:
            return Band.GREEN
        return Band.NOT_RATED


@dataclass(frozen=True)
class PriorityThresholds:
    p1_red: int = 3  # P1 from this many red core measures
    p2_red: int = 1  # P2 from this many red core measures
    p2_amber: int = 3  # P2 from this many amber core measures


@dataclass(frozen=True)
class RuleSet:
    year: int
    rules: dict  # measure code -> MeasureRule
    ofsted: OfstedRule = field(default_factory=OfstedRule)
    thresholds: PriorityThresholds = field(default_factory=PriorityThresholds)
    trend_years: int = 3  # below the comparator this many years with data running: flag
    inspection_age_years: int = 5
    neighbours: tuple = ()  # LA codes of the statistical neighbours
    # The report-card row (inspections from November 2025); None: report cards shown, not banded.
    report_card: ReportCardRule | None = None

    def __post_init__(self):
        self.validate()

    def validate(self):
        if not self.rules:
            raise IncompleteRuleSet("the rule set has no measure rules")
        for code, rule in self.rules.items():
            if code != rule.measure:
                raise IncompleteRuleSet(f"rule for {code!r} names {rule.measure!r}")
            info = measure_info(code)
            if info.polarity is Polarity.NONE:
                raise IncompleteRuleSet(f"{code} is context only and cannot be banded")
            if not isinstance(rule.comparator, ComparatorKind):
                raise IncompleteRuleSet(f"{code}: unknown comparator {rule.comparator!r}")
            if rule.comparator is ComparatorKind.FIXED and not _is_number(rule.fixed_value):
                raise IncompleteRuleSet(f"{code}: a fixed comparator needs its value")
            if rule.comparator is ComparatorKind.NEIGHBOURS and not self.neighbours:
                raise IncompleteRuleSet(f"{code}: statistical neighbours are the comparator but none are listed")
            for name in ("amber_width", "green_margin"):
                width = getattr(rule, name)
                if not _is_number(width) or width < 0:
                    raise IncompleteRuleSet(f"{code}: {name} must be a number of at least 0")
            if not rule.phases or not set(rule.phases) <= ALL_PHASES:
                raise IncompleteRuleSet(f"{code}: phases must be some of {sorted(ALL_PHASES)}")
            if not isinstance(rule.min_cohort, int) or rule.min_cohort < 0:
                raise IncompleteRuleSet(f"{code}: min_cohort must be a whole number")
        if not any(rule.core for rule in self.rules.values()):
            raise IncompleteRuleSet("the rule set has no core measure")
        t = self.thresholds
        for name in ("p1_red", "p2_red", "p2_amber"):
            if not isinstance(getattr(t, name), int) or getattr(t, name) < 1:
                raise IncompleteRuleSet(f"priority threshold {name} must be a whole number of at least 1")
        if not isinstance(self.trend_years, int) or self.trend_years < 0:
            raise IncompleteRuleSet("trend_years must be a whole number (0 switches the flag off)")
        if not isinstance(self.inspection_age_years, int) or self.inspection_age_years < 1:
            raise IncompleteRuleSet("inspection_age_years must be a whole number of at least 1")

    # Rules as data: a rule set is stored as JSON and read back through here.
    def to_dict(self):
        return {
            "rules": [
                {
                    "measure": r.measure,
                    "comparator": r.comparator.value,
                    "fixed_value": r.fixed_value,
                    "amber_width": r.amber_width,
                    "green_margin": r.green_margin,
                    "phases": sorted(r.phases),
                    "by_phase": r.by_phase,
                    "core": r.core,
                    "min_cohort": r.min_cohort,
                }
                for r in self.rules.values()
            ],
            "ofsted": {
                "red": list(self.ofsted.red),
                "amber": list(self.ofsted.amber),
                "green": list(self.ofsted.green),
            },
            "thresholds": {
                "p1_red": self.thresholds.p1_red,
                "p2_red": self.thresholds.p2_red,
                "p2_amber": self.thresholds.p2_amber,
            },
            "trend_years": self.trend_years,
            "inspection_age_years": self.inspection_age_years,
            "neighbours": list(self.neighbours),
            "report_card": self.report_card.to_dict() if self.report_card else None,
        }

    @classmethod
    def from_dict(cls, year, data):
        try:
            rules = {}
            for item in data["rules"]:
                try:
                    comparator = ComparatorKind(item["comparator"])
                except ValueError:
                    raise IncompleteRuleSet(f"{item['measure']}: unknown comparator {item['comparator']!r}") from None
                rule = MeasureRule(
                    measure=item["measure"],
                    comparator=comparator,
                    fixed_value=item.get("fixed_value"),
                    amber_width=item["amber_width"],
                    green_margin=item.get("green_margin", 0.0),
                    phases=frozenset(item["phases"]),
                    by_phase=bool(item.get("by_phase", False)),
                    core=bool(item.get("core", True)),
                    min_cohort=item.get("min_cohort", 11),
                )
                if rule.measure in rules:
                    raise IncompleteRuleSet(f"{rule.measure} has two rules")
                rules[rule.measure] = rule
            ofsted = data["ofsted"]
            thresholds = data["thresholds"]
            return cls(
                year=year,
                rules=rules,
                ofsted=OfstedRule(
                    red=tuple(s.strip().lower() for s in ofsted["red"]),
                    amber=tuple(s.strip().lower() for s in ofsted["amber"]),
                    green=tuple(s.strip().lower() for s in ofsted["green"]),
                ),
                thresholds=PriorityThresholds(thresholds["p1_red"], thresholds["p2_red"], thresholds["p2_amber"]),
                trend_years=data["trend_years"],
                inspection_age_years=data["inspection_age_years"],
                neighbours=tuple(data.get("neighbours", ())),
                report_card=ReportCardRule.from_dict(data.get("report_card")),
            )
        except (KeyError, TypeError) as exc:
            raise IncompleteRuleSet(f"the rule set is missing {exc}") from None
        except ReportCardRuleError as exc:
            raise IncompleteRuleSet(str(exc)) from None

    @property
    def core_codes(self):
        return [code for code, rule in self.rules.items() if rule.core]


def default_rule_set(year):
    """The partnership's agreed default rule set for an academic year (2018 = 2018/19)."""
    england, fixed = ComparatorKind.ENGLAND, ComparatorKind.FIXED
    every = frozenset({PRIMARY, SECONDARY, SPECIAL})
    rules = [
        MeasureRule("ks2_rwm_exp", england, amber_width=5, phases=frozenset({PRIMARY})),
        MeasureRule("ks2_read_prog", fixed, fixed_value=0, amber_width=2, phases=frozenset({PRIMARY})),
        MeasureRule("ks2_writ_prog", fixed, fixed_value=0, amber_width=2, phases=frozenset({PRIMARY})),
        MeasureRule("ks2_mat_prog", fixed, fixed_value=0, amber_width=2, phases=frozenset({PRIMARY})),
        MeasureRule("ks4_att8", england, amber_width=3, phases=frozenset({SECONDARY})),
        MeasureRule("ks4_p8", fixed, fixed_value=0, amber_width=0.5, phases=frozenset({SECONDARY})),
        MeasureRule("ks4_basics_95", england, amber_width=5, phases=frozenset({SECONDARY})),
        MeasureRule("abs_overall", england, amber_width=1, phases=every, by_phase=True),
        MeasureRule("abs_persistent", england, amber_width=3, phases=every, by_phase=True),
    ]
    return RuleSet(year=year, rules={r.measure: r for r in rules}, report_card=ReportCardRule())


DEFAULT_CORE_CODES = (
    "ks2_rwm_exp",
    "ks2_read_prog",
    "ks2_writ_prog",
    "ks2_mat_prog",
    "ks4_att8",
    "ks4_p8",
    "ks4_basics_95",
    "abs_overall",
    "abs_persistent",
)


# ---- Who the school is --------------------------------------------------------------------------

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


def comparator_name(rule):
    return {
        ComparatorKind.ENGLAND: "national",
        ComparatorKind.LA: "LA",
        ComparatorKind.NEIGHBOURS: "statistical neighbours",
        ComparatorKind.FIXED: figure(rule.fixed_value) if rule.fixed_value is not None else "fixed",
    }[rule.comparator]


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


# ---- Bands --------------------------------------------------------------------------------------


def band_for(value, comparator, rule):
    """The band of a number against its comparator under a rule (polarity from the measure)."""
    pol = polarity(rule.measure)
    # Figures are published to 1-2 decimals; rounding the gap keeps 59.9 - 64.9 from missing an edge.
    gap = round(value - comparator, 6)
    if pol is Polarity.LOWER:
        gap = -gap
    elif pol is Polarity.NONE:
        raise RatingError(f"{rule.measure} is context only and cannot be banded")
    if gap >= rule.green_margin:
        return Band.GREEN
    if gap >= -rule.amber_width:
        return Band.AMBER
    return Band.RED


@dataclass(slots=True)
class MeasureResult:
    measure: str
    band: Band
    value: float | None = None
    marker: str = ""
    cohort: int | None = None
    comparator: float | None = None
    comparator_name: str = ""
    rule: str = ""  # the rule that fired, or why the measure is not rated
    trend: bool = False
    core: bool = True
    year: int | None = None  # the academic year the value is from (each kind its own latest year)

    @property
    def rated(self):
        return self.band is not Band.NOT_RATED

    def phrase(self):
        """ "KS2 RWM 48% vs 65% national"."""
        info = measure_info(self.measure)
        unit = "%" if info.unit == "percent" else ""
        comp = self.comparator_name
        if self.comparator is not None and comp != figure(self.comparator):
            comp = f"{figure(self.comparator)}{unit} {comp}"
        when = f" ({year_label(self.year)})" if self.year is not None else ""
        return f"{info.label} {figure(self.value)}{unit} vs {comp}{when}"


NOT_FOR_PHASE = "not a measure for this school's phase"


class _Context:
    """What a run works out once and every school shares: comparators, rule descriptions, polarity."""

    def __init__(self, rule_set, comparators):
        self.rule_set = rule_set
        self.comparators = comparators
        self.neighbours = tuple(rule_set.neighbours)
        self.memo = {}
        self.describe = {code: rule.describe() for code, rule in rule_set.rules.items()}
        self.higher = {code: polarity(code) is Polarity.HIGHER for code in rule_set.rules}

    def series(self, rule, school):
        """{year: Comparator} shared by every school with the same comparator for this rule (filled lazily).

        Thousands of schools share a handful of comparators: each is worked out once per run."""
        key = (
            rule.measure,
            school.absence_phase if rule.by_phase else "",
            school.la_code if rule.comparator is ComparatorKind.LA else "",
        )
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = {}
        return found

    def comparator(self, rule, school, year, series=None):
        series = self.series(rule, school) if series is None else series
        found = series.get(year)
        if found is None:
            found = series[year] = comparator_for(rule, school, year, self.comparators, self.neighbours)
        return found


def rate_measure(rule, school, figures, year, comparators, neighbours=(), trend_years=3):
    """One measure for one school. figures: {(measure, year): Figure} for this school."""
    rule_set = RuleSet(
        year=year, rules={rule.measure: replace(rule, core=True)}, neighbours=tuple(neighbours), trend_years=trend_years
    )
    history = sorted(
        ((y, f) for (code, y), f in figures.items() if code == rule.measure and y <= year),
        key=lambda item: item[0],
        reverse=True,
    )
    result = _rate_measure(rule, school, history, year, _Context(rule_set, comparators))
    return result


def _rate_measure(rule, school, history, year, ctx):
    """history: [(year, Figure)] for this measure, newest first, none after the rating year."""
    code = rule.measure
    if not (rule.phases & school.phases):
        return MeasureResult(code, Band.NOT_RATED, rule=NOT_FOR_PHASE, core=rule.core)
    figure = history[0][1] if history and history[0][0] == year else None
    series = ctx.series(rule, school)
    comparator = series.get(year) or ctx.comparator(rule, school, year, series)
    trend = _trend(rule, school, history, ctx, series) if history else False
    result = MeasureResult(
        code, Band.NOT_RATED, None, "", None, comparator.value, comparator.name, "", trend, rule.core, year
    )
    if figure is None:
        result.rule = "no value for the year"
        return result
    result.cohort = figure.cohort
    if figure.marker:
        # A marker is never a zero and never red.
        result.marker = figure.marker
        result.rule = f"marker {figure.marker} ({MARKERS.get(figure.marker, 'marker')})"
        return result
    value = figure.value
    if not _is_number(value):
        result.rule = "no value for the year"
        return result
    result.value = value
    if figure.cohort is not None and figure.cohort < rule.min_cohort:
        result.rule = f"cohort of {figure.cohort} pupils is under {rule.min_cohort}"
        return result
    if comparator.value is None:
        result.rule = comparator.note or f"no {comparator.name} figure for the year"
        return result
    result.band = band_for(value, comparator.value, rule)
    result.rule = ctx.describe[code] + (f" ({comparator.note})" if comparator.note else "")
    return result


def _trend(rule, school, history, ctx, series):
    """Below the comparator in each of the last n years with data (a year without data is skipped)."""
    n = ctx.rule_set.trend_years
    if n <= 0:
        return False
    higher = ctx.higher[rule.measure]
    seen = 0
    for y, f in history:
        value = f.value
        if f.marker or not _is_number(value) or (f.cohort is not None and f.cohort < rule.min_cohort):
            continue
        comp = (series.get(y) or ctx.comparator(rule, school, y, series)).value
        if comp is None:
            continue
        gap = round(value - comp, 6)
        if not (gap < 0 if higher else gap > 0):
            return False
        seen += 1
        if seen == n:
            return True
    return False


# ---- Ofsted and priority ------------------------------------------------------------------------


@dataclass(frozen=True)
class SchoolResult:
    key: object
    year: int
    priority: Priority
    reasons: str
    measures: tuple  # MeasureResult, in rule-set order
    ofsted_band: Band
    ofsted_outcome: str = ""
    ofsted_date: dt.date | None = None
    inspection_age_flag: bool = False
    report_card: str = ""
    flags: tuple = ()  # short words: "trend: KS2 RWM", "inspection over 5 years ago"

    @property
    def red_core(self):
        return [m for m in self.measures if m.core and m.band is Band.RED]

    @property
    def amber_core(self):
        return [m for m in self.measures if m.core and m.band is Band.AMBER]


def years_before(date, years):
    try:
        return date.replace(year=date.year - years)
    except ValueError:  # 29 February
        return date.replace(year=date.year - years, day=28)


def inspection_age_flag(ofsted_date, rating_date, years):
    """Latest inspection more than `years` years before the rating date."""
    if ofsted_date is None:
        return False
    return ofsted_date < years_before(rating_date, years)


def priority_for(ofsted_band, red_core, amber_core, anything_rated, thresholds):
    if ofsted_band is Band.RED or red_core >= thresholds.p1_red:
        return Priority.P1
    if ofsted_band is Band.AMBER or red_core >= thresholds.p2_red or amber_core >= thresholds.p2_amber:
        return Priority.P2
    if anything_rated:
        return Priority.P3
    return Priority.NOT_RATED


def group_figures(figures, year):
    """{(measure, year): Figure} -> {measure: [(year, Figure), ...] newest first, none after `year`}."""
    by_measure = {}
    for (code, y), fig in figures.items():
        if y <= year:
            by_measure.setdefault(code, []).append((y, fig))
    for history in by_measure.values():
        history.sort(key=lambda item: item[0], reverse=True)
    return by_measure


def rate_school(rule_set, school, figures, year, comparators, rating_date, _ctx=None, *, grouped=False):
    """Rate one school. figures: {(measure, year): Figure}, or already grouped by measure (grouped=True:
    {measure: [(year, Figure), ...] newest first}). year: one academic year for every measure, or a
    RatingYears (each measure on the latest year of its own kind of file; stale kinds not rated)."""
    ctx = _ctx or _Context(rule_set, comparators)
    years = year if isinstance(year, RatingYears) else RatingYears.same(year)
    by_measure = figures if grouped else group_figures(figures, years.newest)
    results = [_rate_on_own_year(rule, school, by_measure.get(rule.measure, ()), years, ctx)
               for rule in rule_set.rules.values()]
    ofsted = ofsted_result(rule_set, school)
    red = [m for m in results if m.core and m.band is Band.RED]
    amber = [m for m in results if m.core and m.band is Band.AMBER]
    anything_rated = ofsted.band is not Band.NOT_RATED or any(m.rated for m in results)
    priority = priority_for(ofsted.band, len(red), len(amber), anything_rated, rule_set.thresholds)
    aged = ofsted.band is not Band.NOT_RATED and inspection_age_flag(
        ofsted.date, rating_date, rule_set.inspection_age_years
    )
    flags = [
        f"trend: {measure_info(m.measure).label} worse than {m.comparator_name} in each of the last "
        f"{rule_set.trend_years} years with data"
        for m in results
        if m.trend and m.core
    ]
    if aged:
        flags.append(f"inspection over {rule_set.inspection_age_years} years ago")
    return SchoolResult(
        key=school.key,
        year=years.newest,
        priority=priority,
        reasons=reasons_text(priority, ofsted, red, amber),
        measures=tuple(results),
        ofsted_band=ofsted.band,
        ofsted_outcome=ofsted.outcome,
        ofsted_date=ofsted.date,
        inspection_age_flag=aged,
        report_card=ofsted.phrase if ofsted.report_card else "",
        flags=tuple(flags),
    )


def _rate_on_own_year(rule, school, history, years, ctx):
    if not (rule.phases & school.phases):
        return MeasureResult(rule.measure, Band.NOT_RATED, rule=NOT_FOR_PHASE, core=rule.core)
    year, stale = years.for_kind(rule.info.kind)
    if year is None:
        return MeasureResult(rule.measure, Band.NOT_RATED, rule=stale, core=rule.core)
    if history and history[0][0] > year:
        history = [item for item in history if item[0] <= year]
    return _rate_measure(rule, school, history, year, ctx)


@dataclass(frozen=True)
class OfstedResult:
    band: Band
    outcome: str = ""  # as the register writes it, or "Report card"
    date: dt.date | None = None
    phrase: str = ""  # for the reasons: "Ofsted requires improvement (inspected 2023/24)"
    report_card: bool = False



def ofsted_result(rule_set, school):
    """The latest of the two scales (graded outcome or report card), rated by its own row; never mixed or converted."""
    card = school.report_card
    if card is not None and (school.ofsted_date is None or card.inspected >= school.ofsted_date):
        when = year_label(academic_year_of(card.inspected))
        if rule_set.report_card is None:
            return OfstedResult(Band.NOT_RATED, "Report card", card.inspected,
                                f"Ofsted report card ({when}) shown, not banded: the rule set has no report-card row",
                                True)
        try:
            word, fired = rule_set.report_card.band(card)
        except ReportCardRuleError as exc:
            raise RatingError(str(exc)) from None
        band = Band(word)
        phrase = f"Ofsted report card ({when})" + (": " + ", ".join(fired) if fired else "")
        return OfstedResult(band, "Report card", card.inspected, phrase, True)
    band = rule_set.ofsted.band(school.ofsted_outcome)
    outcome = school.ofsted_outcome.strip().lower()
    phrase = f"Ofsted {outcome}" + (" (inadequate)" if band is Band.RED and outcome != "inadequate" else "")
    if school.ofsted_date is not None:
        phrase += f", inspected {year_label(academic_year_of(school.ofsted_date))}"
    return OfstedResult(band, school.ofsted_outcome, school.ofsted_date, phrase)


def reasons_text(priority, ofsted, red, amber):
    """ "P1: Ofsted inadequate, inspected 2017/18; 3 red core measures: KS2 RWM 48% vs 65% national (2018/19), ..."."""
    if priority is Priority.NOT_RATED:
        text = "Not rated: no rated measure and no Ofsted outcome"
        return text + (f"; {ofsted.phrase}" if ofsted.report_card else "")
    parts = []
    if ofsted.band in (Band.RED, Band.AMBER) or (ofsted.report_card and ofsted.band is Band.NOT_RATED):
        parts.append(ofsted.phrase)
    for measures, word in ((red, "red"), (amber, "amber")):
        if measures:
            noun = "measure" if len(measures) == 1 else "measures"
            parts.append(f"{len(measures)} {word} core {noun}: " + ", ".join(m.phrase() for m in measures))
    if not parts or parts == [ofsted.phrase] and ofsted.band is Band.NOT_RATED:
        parts.append("no red or amber core measures")
    return f"P{priority.value}: " + "; ".join(parts)


def rating_year(years_with_core_values):
    """The latest academic year for which any core measure was imported (None when none was)."""
    years = [y for y in years_with_core_values if y is not None]
    return max(years) if years else None


def rate_all(rule_set, schools, figures_by_school, year, comparators, rating_date, *, grouped=False):
    """Rate many schools. figures_by_school: {school.key: figures as rate_school takes them}."""
    ctx = _Context(rule_set, comparators)
    empty = {}
    return [
        rate_school(
            rule_set, s, figures_by_school.get(s.key, empty), year, comparators, rating_date, ctx, grouped=grouped
        )
        for s in schools
    ]


def with_min_cohorts(rule_set, min_cohorts):
    """The same rule set with each measure's own minimum cohort (from the measure's definition)."""
    rules = {
        code: replace(rule, min_cohort=min_cohorts.get(code, rule.min_cohort)) for code, rule in rule_set.rules.items()
    }
    return replace(rule_set, rules=rules)


def _is_number(x):
    if type(x) is float:
        return math.isfinite(x)
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)

