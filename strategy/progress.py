"""Builds each target's series from the database and stores its computed progress.

`recompute_targets()` is what the nightly refresh calls (and `manage.py recompute_targets` by hand);
saving a target in the admin recomputes that one. The arithmetic is in `strategy.targets`.
"""

from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from pep_portal import partnership
from schools.models import Benchmark, School, Value

from . import targets as engine
from .models import GoodOrBetterRecord, Target, TargetResult

GOOD_OR_BETTER = {"good", "outstanding"}
# Graded overall outcomes as the register writes them; anything else (none, "No Data") is not counted.
GRADED = GOOD_OR_BETTER | {"requires improvement", "inadequate", "serious weaknesses", "special measures"}


def current_academic_year(today=None):
    today = today or timezone.localdate()
    return today.year if today.month >= 9 else today.year - 1


def la_series(measure, phase, la_codes):
    """The partnership's figure a year from its LA rows (pupil-weighted across several LAs)."""
    rows = defaultdict(list)
    for year, value, cohort in Benchmark.objects.filter(
        area=Benchmark.Area.LA, la_code__in=la_codes, measure=measure, phase=phase, value__isnull=False
    ).values_list("year", "value", "cohort"):
        rows[year].append((value, cohort))
    return {year: engine.combine_las(found) for year, found in rows.items()}


def england_series(measure, phase):
    return dict(
        Benchmark.objects.filter(
            area=Benchmark.Area.ENGLAND, measure=measure, phase=phase, value__isnull=False
        ).values_list("year", "value")
    )


def neighbour_series(measure, phase, codes):
    by_la = defaultdict(dict)
    for code, year, value in Benchmark.objects.filter(
        area=Benchmark.Area.LA, la_code__in=codes, measure=measure, phase=phase, value__isnull=False
    ).values_list("la_code", "year", "value"):
        by_la[code][year] = value
    return engine.neighbour_mean(by_la, codes)


def schools_series(measure):
    """The partnership's schools' figures a year, pupil-weighted, withheld over too few schools or pupils."""
    rows = defaultdict(list)
    for year, value, cohort in Value.objects.filter(
        school__in=School.objects.rated_scope(), measure=measure, value__isnull=False
    ).values_list("year", "value", "cohort"):
        rows[year].append((value, cohort))
    return {year: engine.school_mean(found) for year, found in rows.items()}


def good_or_better_now():
    ratings = [r.strip().lower() for r in School.objects.rated_scope().values_list("ofsted_rating", flat=True)]
    graded = [r for r in ratings if r in GRADED]
    return engine.school_share(r in GOOD_OR_BETTER for r in graded), len(graded)


def record_good_or_better(today=None):
    share, count = good_or_better_now()
    record, _ = GoodOrBetterRecord.objects.update_or_create(
        year=current_academic_year(today),
        defaults={
            "value": share if engine.is_number(share) else None,
            "schools": count,
            "recorded_at": timezone.now(),
        },
    )
    return record


def good_or_better_series(target):
    series = {}
    if target.manual_series_id:
        # Earlier years an admin entered from Ofsted's published statistics.
        series.update(dict(target.manual_series.points.values_list("year", "value")))
    for record in GoodOrBetterRecord.objects.all():
        series[record.year] = (
            record.value if record.value is not None else engine.Suppressed(f"fewer than {engine.MIN_SCHOOLS} schools")
        )
    return series


def series_for(target):
    """(partnership series, comparator series, the comparator used, a note) for a target."""
    Source = Target.Source
    comparator, used, note = {}, "", ""
    if target.source == Source.MANUAL:
        series = dict(target.manual_series.points.values_list("year", "value")) if target.manual_series_id else {}
    elif target.source == Source.GOOD_OR_BETTER:
        series = good_or_better_series(target)
    elif target.measure_id is None:
        series = {}
    elif target.source == Source.SCHOOLS:
        series = schools_series(target.measure)
    else:
        series = la_series(target.measure, target.phase, partnership.current().la_codes)
        used = "england"
        comparator = england_series(target.measure, target.phase)
        if target.comparator == Target.Comparator.NEIGHBOURS:
            codes = list(partnership.current().neighbour_la_codes)
            neighbours = neighbour_series(target.measure, target.phase, codes) if codes else {}
            if neighbours:
                comparator, used = neighbours, "neighbours"
            else:
                note = "The statistical neighbours' figures have not been imported, so England is used."
    return series, comparator, used, note


def recompute_target(target, now=None):
    series, comparator, used, note = series_for(target)
    result = engine.evaluate(target.spec(), series, comparator)
    fields = {
        "computed_at": now or timezone.now(),
        "status": result.status,
        "measured": result.measured,
        "baseline_year": result.baseline.year if result.baseline else None,
        "baseline_value": result.baseline.value if result.baseline else None,
        "target_year": result.target.year if result.target else target.target_year,
        "target_value": result.target.value if result.target else None,
        "latest_year": result.latest_year,
        "latest_value": result.latest.value if result.latest else None,
        "latest_note": result.latest_note,
        "comparator_used": used,
        "note": " ".join(n for n in (note, result.note) if n),
        "rows": result.rows,
    }
    stored, _ = TargetResult.objects.update_or_create(target=target, defaults=fields)
    return stored


@transaction.atomic
def recompute_targets(now=None):
    """Recompute every target (current and past strategies alike); returns how many."""
    now = now or timezone.now()
    record_good_or_better()
    count = 0
    for target in Target.objects.select_related("measure", "manual_series"):
        recompute_target(target, now=now)
        count += 1
    return count
