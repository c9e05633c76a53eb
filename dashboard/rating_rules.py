"""Rules as data: a measure's band edges, the Ofsted row, the priority thresholds, and the rule set that
holds them (stored as JSON, checked against the measure catalogue). Plain Python, no Django."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from schools.numbers import figure

from .rating_basics import (
    ALL_PHASES,
    PRIMARY,
    SECONDARY,
    SPECIAL,
    Band,
    Catalogue,
    ComparatorKind,
    IncompleteRuleSet,
    Polarity,
    is_number,
)
from .report_cards import ReportCardRule, ReportCardRuleError


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

    def describe(self, polarity):
        """The rule in words, stored with every band as the rule that fired (polarity: the measure's)."""
        comp = comparator_name(self)
        if polarity is Polarity.HIGHER:
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
    # The measures the rules are checked against: codes, polarity, labels (handed in, never a guess).
    catalogue: Catalogue = field(kw_only=True, compare=False, repr=False)

    def __post_init__(self):
        self.validate()

    def validate(self):
        if not self.rules:
            raise IncompleteRuleSet("the rule set has no measure rules")
        for code, rule in self.rules.items():
            if code != rule.measure:
                raise IncompleteRuleSet(f"rule for {code!r} names {rule.measure!r}")
            if self.catalogue.polarity(code) is Polarity.NONE:
                raise IncompleteRuleSet(f"{code} is context only and cannot be banded")
            if not isinstance(rule.comparator, ComparatorKind):
                raise IncompleteRuleSet(f"{code}: unknown comparator {rule.comparator!r}")
            if rule.comparator is ComparatorKind.FIXED and not is_number(rule.fixed_value):
                raise IncompleteRuleSet(f"{code}: a fixed comparator needs its value")
            if rule.comparator is ComparatorKind.NEIGHBOURS and not self.neighbours:
                raise IncompleteRuleSet(f"{code}: statistical neighbours are the comparator but none are listed")
            for name in ("amber_width", "green_margin"):
                width = getattr(rule, name)
                if not is_number(width) or width < 0:
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
    def from_dict(cls, year, data, catalogue):
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
                catalogue=catalogue,
            )
        except (KeyError, TypeError) as exc:
            raise IncompleteRuleSet(f"the rule set is missing {exc}") from None
        except ReportCardRuleError as exc:
            raise IncompleteRuleSet(str(exc)) from None

    @property
    def core_codes(self):
        return [code for code, rule in self.rules.items() if rule.core]

    def describe(self, code):
        """The rule for one measure in words, on that measure's polarity."""
        return self.rules[code].describe(self.catalogue.polarity(code))


def default_rule_set(year, catalogue):
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
    return RuleSet(year=year, rules={r.measure: r for r in rules}, report_card=ReportCardRule(), catalogue=catalogue)


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

def with_min_cohorts(rule_set, min_cohorts):
    """The same rule set with each measure's own minimum cohort (from the measure's definition)."""
    rules = {
        code: replace(rule, min_cohort=min_cohorts.get(code, rule.min_cohort)) for code, rule in rule_set.rules.items()
    }
    return replace(rule_set, rules=rules)


def comparator_name(rule):
    return {
        ComparatorKind.ENGLAND: "national",
        ComparatorKind.LA: "LA",
        ComparatorKind.NEIGHBOURS: "statistical neighbours",
        ComparatorKind.FIXED: figure(rule.fixed_value) if rule.fixed_value is not None else "fixed",
    }[rule.comparator]
