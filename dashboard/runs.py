"""Rating runs: read the figures in a few set-based queries, rate with the engine, write in bulk, switch.

`run_ratings` is the rating run itself; refresh.api and refresh.running call it under the refresh lock,
so nothing else starts one.
"""

import json
import logging
import time
from dataclasses import dataclass, replace

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from pep_portal import bulk
from schools.models import Benchmark, Governance, Measure, ReportCard, School, Value

from . import ratings, signals
from .models import CurrentRun, MeasureRating, RatingRun, RuleSet, SchoolRating

logger = logging.getLogger(__name__)

SPECIAL_GOVERNANCE = (Governance.SPECIAL_MAINTAINED, Governance.SPECIAL_ACADEMY)


class NothingToRate(Exception):
    """No core measure has been imported, or no rule set is live."""


@dataclass
class Computed:
    year: int
    rule_set: RuleSet
    schools: list  # School rows (id, urn, name) in rating order
    results: list  # ratings.SchoolResult, key = school id
    years: ratings.RatingYears | None = None  # each kind's year (the run's year is the newest)


def core_codes():
    """Codes that decide the rating year: the agreed core measures, plus any marked core in the database."""
    return set(ratings.DEFAULT_CORE_CODES) | set(Measure.objects.filter(is_core=True).values_list("code", flat=True))


def latest_years(upto=None):
    """Each kind's latest academic year with a core measure imported (KS2, KS4, absence...), as the
    engine's RatingYears; None when no core measure was imported. upto: as of an earlier year."""
    values = Value.objects.filter(measure__code__in=core_codes(), school__in=School.objects.rated_scope())
    if upto is not None:
        values = values.filter(year__lte=upto)
    by_kind = dict(values.values_list("measure__kind").annotate(y=Max("year")).values_list("measure__kind", "y"))
    return ratings.rating_years(by_kind)


def latest_year():
    """The newest academic year for which any core measure was imported: the run's label."""
    years = latest_years()
    return years.newest if years else None


def school_facts(school, report_card=None):
    phases, absence_phase = ratings.classify_school(
        school.phase_name or school.phase,
        school.type_name,
        special_flag=school.governance in SPECIAL_GOVERNANCE or school.phase == "special",
    )
    return ratings.SchoolFacts(
        key=school.id,
        phases=phases,
        absence_phase=absence_phase,
        la_code=school.la_code,
        ofsted_outcome=school.ofsted_rating,
        ofsted_date=school.ofsted_date,
        report_card=report_card,
    )


def report_cards(school_ids=None):
    """{school id: ratings.ReportCardFacts} of the latest report cards (inspections from November 2025)."""
    cards = ReportCard.objects.all() if school_ids is None else ReportCard.objects.filter(school_id__in=school_ids)
    return {
        school_id: ratings.ReportCardFacts(
            inspected=inspected, grades=tuple((a, g) for a, g, _ in areas), category_of_concern=concern)
        for school_id, inspected, areas, concern in cards.values_list(
            "school_id", "inspected_on", "areas", "category_of_concern").iterator()
    }


def compute(year=None, rule_set=None, rating_date=None):
    """Rate every school in scope without writing anything (runs and rule-set previews share it).

    Each measure is rated on the latest year of its own kind of file (up to `year` when given)."""
    years = latest_years(upto=year)
    if years is None and year is not None:
        years = ratings.RatingYears(newest=year)  # a chosen year with nothing imported up to it
    if years is None:
        raise NothingToRate("No core measure has been imported yet, so there is no year to rate.")
    year = years.newest
    rule_set = rule_set or RuleSet.objects.for_year(year)
    if rule_set is None:
        raise NothingToRate("No rule set is live. An admin makes one live on the rule sets page.")
    engine_rules = rule_set.engine()
    codes = list(engine_rules.rules)
    measures = dict(Measure.objects.filter(code__in=codes).values_list("id", "code"))
    min_cohorts = dict(Measure.objects.filter(code__in=codes).values_list("code", "min_cohort"))
    engine_rules = ratings.with_min_cohorts(engine_rules, min_cohorts)
    rating_date = rating_date or timezone.localdate()

    schools = list(
        School.objects.rated_scope()
        .annotate(la_code=F("la__code"))
        .only("id", "urn", "name", "phase", "phase_name", "type_name", "governance", "ofsted_rating", "ofsted_date")
        .order_by("id")
    )
    wanted = {s.id for s in schools}
    # Grouped as the engine takes them: {school: {measure: [(year, Figure), ...] newest first}}; the
    # database hands the rows over in that order, so nothing is sorted in Python.
    figures = {}
    rows = (
        # Trend flags look back over the last years with data; a window of trend_years + 4 covers gaps
        # such as the years with no KS2 results (2019/20 and 2020/21).
        Value.objects.filter(
            measure_id__in=list(measures), year__lte=year, year__gte=years.oldest - engine_rules.trend_years - 4
        )
        .order_by("-school_id", "-measure_id", "-year")
        .values_list("school_id", "measure_id", "year", "value", "marker", "cohort")
        .iterator(chunk_size=20000)
    )
    Figure = ratings.Figure
    last_school, per_school = None, None
    for school_id, measure_id, y, value, marker, cohort in rows:
        if school_id != last_school:
            last_school = school_id
            per_school = figures.setdefault(school_id, {}) if school_id in wanted else None
        if per_school is not None:
            code = measures[measure_id]
            history = per_school.get(code)
            if history is None:
                history = per_school[code] = []
            history.append((y, Figure(value, marker or "", cohort)))

    comparators = ratings.Comparators(
        (area, la_code, measures[measure_id], y, phase, None if marker else value)
        for area, la_code, measure_id, y, phase, value, marker in Benchmark.objects.filter(
            measure_id__in=list(measures), year__lte=year, area__in=["england", "la"]
        ).values_list("area", "la_code", "measure_id", "year", "phase", "value", "marker")
    )
    cards = report_cards()
    facts = [_naming_the_school(s, school_facts, s) for s in schools]
    facts = [replace(f, report_card=cards[f.key]) if f.key in cards else f for f in facts]
    try:
        results = ratings.rate_all(engine_rules, facts, figures, years, comparators, rating_date, grouped=True)
    except Exception:
        # Rate again one school at a time, only to say whose data raised (issue 6: the error names the school).
        for s, fact in zip(schools, facts, strict=True):
            _naming_the_school(s, _rate_grouped, engine_rules, fact, figures.get(fact.key, {}), years,
                               comparators, rating_date)
        raise
    return Computed(year=year, rule_set=rule_set, schools=schools, results=results, years=years)


def _rate_grouped(*args):
    return ratings.rate_school(*args, grouped=True)


def _naming_the_school(school, fn, *args):
    try:
        return fn(*args)
    except Exception as exc:
        raise ratings.RatingError(f"{school.name} (URN {school.urn}): {type(exc).__name__}: {exc}") from exc


def run_ratings(year=None, rule_set=None, triggered_by=None, *, rating_date=None):
    """Rate every school and make the run current. triggered_by: a user, "nightly", or None (a command).

    The new rows are written beside the current run's; the pointer moves only when all are written,
    in the same transaction, so a failure leaves the current ratings as they were.
    """
    started = time.perf_counter()
    trigger = "nightly" if triggered_by == "nightly" else ("user" if triggered_by is not None else "command")
    user = triggered_by if trigger == "user" else None
    year = year or latest_year()
    chosen = rule_set or (RuleSet.objects.for_year(year) if year else RuleSet.objects.live().first())
    if chosen is None:
        raise NothingToRate("No rule set is live. An admin makes one live on the rule sets page.")
    run = RatingRun.objects.create(
        rule_set=chosen, year=year, triggered_by=user, trigger=trigger, rating_date=rating_date or timezone.localdate()
    )
    try:
        computed = compute(year, chosen, run.rating_date)
        with transaction.atomic():
            previous = CurrentRun.get()
            write_results(run, computed, previous)
            run.previous = previous
            run.status = RatingRun.Status.DONE
            run.finished_at = timezone.now()
            run.duration_seconds = time.perf_counter() - started
            run.save()
            # The one step that makes the new ratings visible.
            CurrentRun.objects.update_or_create(pk=1, defaults={"run": run})
    except Exception as exc:
        run.status = RatingRun.Status.FAILED
        run.finished_at = timezone.now()
        run.error = f"{type(exc).__name__}: {exc}"[:2000]
        run.duration_seconds = time.perf_counter() - started
        run.save(update_fields=["status", "finished_at", "error", "duration_seconds"])
        logger.exception("rating run %s failed", run.pk)
        raise
    # Work that follows the new priorities (support plans) is a separate step that never undoes the run.
    signals.rating_run_finished.send(sender=RatingRun, run=run)
    return run


def write_results(run, computed, previous):
    before = dict(SchoolRating.objects.filter(run=previous).values_list("school_id", "priority")) if previous else {}
    school_rows = []
    for result in computed.results:
        old = before.get(result.key)
        priority = result.priority.value
        school_rows.append(
            (
                run.pk,
                result.key,
                priority,
                result.reasons,
                json.dumps(list(result.flags)),
                json.dumps({m.measure: m.band.value for m in result.measures if m.rule != ratings.NOT_FOR_PHASE}),
                len(result.red_core),
                len(result.amber_core),
                result.ofsted_outcome[:40],
                result.ofsted_band.value,
                result.ofsted_date,
                result.inspection_age_flag,
                old,
                previous is not None and old is not None and old != priority,
            )
        )
    bulk.insert(SchoolRating, SCHOOL_FIELDS, school_rows)
    ids = dict(SchoolRating.objects.filter(run=run).values_list("school_id", "id"))
    measure_rows = (
        (
            ids[result.key],
            m.measure,
            m.value,
            m.marker,
            m.cohort,
            m.comparator,
            m.comparator_name,
            m.band.value,
            m.rule[:200],
            m.trend,
            m.core,
            m.year,
        )
        for result in computed.results
        for m in result.measures
        # A primary school's KS4 rows would say nothing: keep the measures for its phase.
        if m.rule != ratings.NOT_FOR_PHASE
    )
    bulk.insert(MeasureRating, MEASURE_FIELDS, measure_rows)
    run.schools_considered = len(school_rows)
    run.schools_rated = sum(1 for r in school_rows if r[2])
    run.priorities_changed = sum(1 for r in school_rows if r[-1])


SCHOOL_FIELDS = (
    "run",
    "school",
    "priority",
    "reasons",
    "flags",
    "bands",
    "red_core",
    "amber_core",
    "ofsted_outcome",
    "ofsted_band",
    "ofsted_date",
    "inspection_age_flag",
    "previous_priority",
    "changed",
)
MEASURE_FIELDS = (
    "school_rating",
    "measure_code",
    "value",
    "marker",
    "cohort",
    "comparator",
    "comparator_name",
    "band",
    "rule",
    "trend",
    "core",
    "year",
)
