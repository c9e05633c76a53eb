"""The rating engine: plain Python, no Django.

Given a rule set (checked against the measure catalogue it carries), one school's facts (phases,
Ofsted), its published figures and the comparators, `rate_school` returns each measure's band with the
rule that fired, the trend and inspection-age flags, and the school's priority with its reasons.
Everything the database knows is handed in as plain data (see `runs.py`), so every band edge can be
tested alone and a run for 22,000 schools is a loop over dictionaries.

The engine's parts: rating_basics (bands, polarity, the catalogue), rating_rules (rule sets and the
default one), rating_comparators (school facts, figures, comparators), rating_bands (one measure) and
this module (Ofsted, priority, reasons, whole runs); every name callers use is importable from here.
The default rule set is the partnership's agreed table of measures and rating rules, exactly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from schools.years import academic_year_of, year_label

from .rating_bands import NOT_FOR_PHASE, MeasureResult, RunContext, band_for, rate_measure, rate_on_own_year  # noqa: F401
from .rating_basics import (  # noqa: F401 - the engine's vocabulary, imported from here by callers
    ALL_PHASES,
    MARKERS,
    PRIMARY,
    SECONDARY,
    SPECIAL,
    Band,
    Catalogue,
    ComparatorKind,
    IncompleteRuleSet,
    MeasureInfo,
    Polarity,
    Priority,
    RatingError,
    UnknownMeasure,
)
from .rating_comparators import (  # noqa: F401
    ABSENCE_PHASE_BY_GIAS,
    Comparator,
    Comparators,
    Figure,
    SchoolFacts,
    classify_school,
    comparator_for,
)
from .rating_rules import (  # noqa: F401
    DEFAULT_CORE_CODES,
    MeasureRule,
    OfstedRule,
    PriorityThresholds,
    RuleSet,
    comparator_name,
    default_rule_set,
    with_min_cohorts,
)
from .rating_years import RatingYears, rating_years  # noqa: F401 - re-exported for callers
from .report_cards import ReportCardFacts, ReportCardRule, ReportCardRuleError  # noqa: F401 - re-exported


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
    ctx = _ctx or RunContext(rule_set, comparators)
    years = year if isinstance(year, RatingYears) else RatingYears.same(year)
    by_measure = figures if grouped else group_figures(figures, years.newest)
    results = [rate_on_own_year(rule, school, by_measure.get(rule.measure, ()), years, ctx)
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
        f"trend: {ctx.catalogue.info(m.measure).label} worse than {m.comparator_name} in each of the last "
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
        reasons=reasons_text(priority, ofsted, red, amber, rule_set.catalogue),
        measures=tuple(results),
        ofsted_band=ofsted.band,
        ofsted_outcome=ofsted.outcome,
        ofsted_date=ofsted.date,
        inspection_age_flag=aged,
        report_card=ofsted.phrase if ofsted.report_card else "",
        flags=tuple(flags),
    )


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


def reasons_text(priority, ofsted, red, amber, catalogue):
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
            parts.append(f"{len(measures)} {word} core {noun}: " + ", ".join(m.phrase(catalogue.info(m.measure)) for m in measures))
    if not parts or parts == [ofsted.phrase] and ofsted.band is Band.NOT_RATED:
        parts.append("no red or amber core measures")
    return f"P{priority.value}: " + "; ".join(parts)


def rating_year(years_with_core_values):
    """The latest academic year for which any core measure was imported (None when none was)."""
    years = [y for y in years_with_core_values if y is not None]
    return max(years) if years else None


def rate_all(rule_set, schools, figures_by_school, year, comparators, rating_date, *, grouped=False):
    """Rate many schools. figures_by_school: {school.key: figures as rate_school takes them}."""
    ctx = RunContext(rule_set, comparators)
    empty = {}
    return [
        rate_school(
            rule_set, s, figures_by_school.get(s.key, empty), year, comparators, rating_date, ctx, grouped=grouped
        )
        for s in schools
    ]
