"""One measure of one school: its band against the comparator, the rule that fired, and the trend flag.
Plain Python, no Django."""

from __future__ import annotations

from dataclasses import dataclass, replace

from schools.numbers import figure
from schools.years import year_label

from .rating_basics import MARKERS, Band, ComparatorKind, Polarity, RatingError, is_number
from .rating_comparators import comparator_for
from .rating_rules import RuleSet


def band_for(value, comparator, rule, pol):
    """The band of a number against its comparator under a rule, on the measure's polarity `pol`."""
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

    def phrase(self, info):
        """ "KS2 RWM 48% vs 65% national". info: the measure's MeasureInfo (label and unit)."""
        unit = "%" if info.unit == "percent" else ""
        comp = self.comparator_name
        if self.comparator is not None and comp != figure(self.comparator):
            comp = f"{figure(self.comparator)}{unit} {comp}"
        when = f" ({year_label(self.year)})" if self.year is not None else ""
        return f"{info.label} {figure(self.value)}{unit} vs {comp}{when}"


NOT_FOR_PHASE = "not a measure for this school's phase"


class RunContext:
    """What a run works out once and every school shares: comparators, rule descriptions, polarity."""

    def __init__(self, rule_set, comparators):
        self.rule_set = rule_set
        self.catalogue = rule_set.catalogue
        self.comparators = comparators
        self.neighbours = tuple(rule_set.neighbours)
        self.memo = {}
        self.describe = {code: rule_set.describe(code) for code in rule_set.rules}
        self.polarity = {code: self.catalogue.polarity(code) for code in rule_set.rules}
        self.higher = {code: pol is Polarity.HIGHER for code, pol in self.polarity.items()}

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


def rate_measure(rule, school, figures, year, comparators, neighbours=(), trend_years=3, *, catalogue):
    """One measure for one school. figures: {(measure, year): Figure} for this school."""
    rule_set = RuleSet(
        year=year, rules={rule.measure: replace(rule, core=True)}, neighbours=tuple(neighbours),
        trend_years=trend_years, catalogue=catalogue,
    )
    history = sorted(
        ((y, f) for (code, y), f in figures.items() if code == rule.measure and y <= year),
        key=lambda item: item[0],
        reverse=True,
    )
    result = _rate_measure(rule, school, history, year, RunContext(rule_set, comparators))
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
    if not is_number(value):
        result.rule = "no value for the year"
        return result
    result.value = value
    if figure.cohort is not None and figure.cohort < rule.min_cohort:
        result.rule = f"cohort of {figure.cohort} pupils is under {rule.min_cohort}"
        return result
    if comparator.value is None:
        result.rule = comparator.note or f"no {comparator.name} figure for the year"
        return result
    result.band = band_for(value, comparator.value, rule, ctx.polarity[code])
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
        if f.marker or not is_number(value) or (f.cohort is not None and f.cohort < rule.min_cohort):
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


def rate_on_own_year(rule, school, history, years, ctx):
    """One measure on the latest year of its own kind of file (years: a RatingYears)."""
    if not (rule.phases & school.phases):
        return MeasureResult(rule.measure, Band.NOT_RATED, rule=NOT_FOR_PHASE, core=rule.core)
    year, stale = years.for_kind(ctx.catalogue.info(rule.measure).kind)
    if year is None:
        return MeasureResult(rule.measure, Band.NOT_RATED, rule=stale, core=rule.core)
    if history and history[0][0] > year:
        history = [item for item in history if item[0] <= year]
    return _rate_measure(rule, school, history, year, ctx)
