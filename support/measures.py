"""Red measures as support sees them: labels and units, the snapshot a question keeps, its wording,
and the willing schools green on a measure."""

from collections import defaultdict

from django.db.models import Count, Q

from dashboard.models import Band, CurrentRun, MeasureRating
from schools.models import Measure, School
from schools.numbers import figure_with_unit
from schools.years import year_label

from .models import SupportOffer


def measure_labels(codes):
    """{code: (short label, unit)} in one query; a code no longer in the catalogue is its own label."""
    rows = Measure.objects.filter(code__in=list(codes)).values_list("code", "short_label", "unit")
    found = {code: (label or code, unit) for code, label, unit in rows}
    return {code: found.get(code, (code, "")) for code in codes}


def red_measures(run, school_ids, keep=None):
    """{school id: [snapshot dict]} of each school's red measures in the run, in rule-set order.

    school_ids None: every school of the run (keep: only these, filtered here rather than in SQL)."""
    qs = MeasureRating.objects.filter(school_rating__run=run, band=Band.RED)
    if school_ids is not None:
        qs = qs.filter(school_rating__school_id__in=list(school_ids))
    rows = [
        r for r in qs.order_by("school_rating_id", "id").values_list(
            "school_rating__school_id", "measure_code", "value", "comparator", "comparator_name", "core")
        if keep is None or r[0] in keep
    ]
    labels = measure_labels({r[1] for r in rows})
    out = defaultdict(list)
    for school_id, code, value, comparator, comparator_name, core in rows:
        label, unit = labels[code]
        out[school_id].append({
            "code": code, "label": label, "unit": unit, "value": value, "comparator": comparator,
            "comparator_name": comparator_name, "core": core,
        })
    return out


def fmt(value, unit=""):
    if value is None:
        return "no value"
    return figure_with_unit(value, unit)


def describe_measure(m):
    return f"{m['label']}: {fmt(m['value'], m['unit'])} against {fmt(m['comparator'], m['unit'])} {m['comparator_name']}".strip()


def question_text(school, run, measures, reply_by):
    year = year_label(run.year) if run and run.year else "the latest year"
    lines = [
        f"The partnership's dashboard for {year} shows {school.name} as red on "
        f"{'this measure' if len(measures) == 1 else 'these measures'}:",
        *[f"- {describe_measure(m)}" for m in measures],
        "",
        "Please explain these figures, or tell us what the school is doing to address them"
        + (f", by {reply_by:%-d %B %Y}." if reply_by else "."),
    ]
    return "\n".join(lines)


def priority_label(p):
    return f"Priority {p}" if p else "not rated"


def who_can_help(school, code, run=None):
    """Partnership schools green on this measure in the current run and willing to support (in it or in general)."""
    run = run or CurrentRun.get()
    if run is None:
        return School.objects.none()
    green = MeasureRating.objects.filter(
        school_rating__run=run, measure_code=code, band=Band.GREEN
    ).values("school_rating__school_id")
    willing = SupportOffer.objects.filter(measure_code__in=[code, ""]).values("school_id")
    # Schools of the same cluster first: they already review each other.
    clusters = list(school.clusters.values_list("id", flat=True))
    return (
        School.objects.partnership().open().filter(id__in=green).filter(id__in=willing)
        .exclude(id=school.id)
        .annotate(same_cluster=Count("clusters", filter=Q(clusters__in=clusters), distinct=True))
        .order_by("-same_cluster", "name")
    )
