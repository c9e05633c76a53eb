"""Reads the dashboard pages share. Every function runs a fixed number of queries, whatever the number
of schools, so page query counts do not grow with the partnership."""

from collections import defaultdict

from django.db.models import Count, OuterRef, Subquery

from pep_portal import charts, partnership
from schools.models import Benchmark, Measure, Value
from schools.numbers import figure_with_unit
from schools.performance_public import ZERO_BY_DEFINITION
from schools.years import year_label

from . import ratings
from .models import PriorityOverride, SchoolRating

PHASE_NAMES = {"": "", "PRI": "primary", "SEC": "secondary", "SPE": "special"}
ZERO_ENGLAND = "England (0 by definition)"


def measure_labels(codes):
    """code -> short label from the measure catalogue (its label when it has no short one; the code if unknown)."""
    known = {code: short or label for code, short, label in
             Measure.objects.filter(code__in=list(codes)).values_list("code", "short_label", "label")}
    return {code: known.get(code) or code for code in codes}


def core_codes(run):
    if run is None:
        return list(ratings.DEFAULT_CORE_CODES)
    try:
        return run.rule_set.engine().core_codes
    except ratings.RatingError:
        return list(ratings.DEFAULT_CORE_CODES)


def priority_counts(run):
    if run is None:
        return {}
    return dict(
        SchoolRating.objects.filter(run=run).values_list("priority").annotate(n=Count("id")).values_list(
            "priority", "n"
        )
    )


def active_override_priority():
    """A subquery: the school's active best-fit priority, or NULL."""
    return Subquery(
        PriorityOverride.objects.active().filter(school_id=OuterRef("school_id")).values("priority")[:1]
    )


def overrides_for(school_ids):
    return {
        o.school_id: o
        for o in PriorityOverride.objects.active().filter(school_id__in=list(school_ids)).select_related("set_by")
    }


def fmt(value, unit=""):
    if value is None:
        return ""
    return figure_with_unit(value, unit)


def benchmark_series(codes, la_codes=None, phases=None):
    """{code: {(area label, phase): {year: value}}} for England and the partnership's LA rows."""
    la_codes = list(la_codes or partnership.current().la_codes)
    rows = Benchmark.objects.filter(measure__code__in=list(codes), area__in=["england", "la"]).values_list(
        "measure__code", "area", "la_code", "phase", "year", "value"
    )
    out = defaultdict(lambda: defaultdict(dict))
    for code, area, la_code, phase, year, value in rows:
        if area == "la" and la_code not in la_codes:
            continue
        if phases is not None and phase not in phases:
            continue
        name = "England" if area == "england" else ("LA" if len(la_codes) == 1 else f"LA {la_code}")
        out[code][(name, phase)][year] = value
    return out


def measure_charts(codes, labels, units, school_series=None, *, prefix="chart", la_codes=None, phases=None):
    """One line chart and table per measure: the school (if given), the LA and England over years."""
    bench = benchmark_series(codes, la_codes, phases)
    out = []
    for i, code in enumerate(codes):
        series = []
        if school_series is not None and school_series.get(code):
            series.append(("This school", school_series[code]))
        for (name, phase), by_year in sorted(bench.get(code, {}).items(), key=lambda kv: (kv[0][0] != "LA", kv[0])):
            phase_name = PHASE_NAMES.get(phase, phase)
            series.append((f"{name} ({phase_name})" if phase_name else name, by_year))
        if code in ZERO_BY_DEFINITION:
            series = _england_zero(series)
        years = sorted({y for _, by_year in series for y in by_year})
        if not years:
            continue
        x = [year_label(y) for y in years]
        unit = units.get(code, "")
        figure = charts.line_chart(
            labels[code], x, [(name, [by_year.get(y) for y in years]) for name, by_year in series],
            y_title={"percent": "%", "rate": "per 100 pupils"}.get(unit, "score"),
        )
        out.append({
            "code": code,
            "label": labels[code],
            "chart_id": f"{prefix}-{i}",
            "figure_json": charts.to_json(figure),
            "years": x,
            "rows": [{"name": name, "cells": [_cell(name, by_year.get(y), unit) for y in years]}
                     for name, by_year in series],
        })
    return out


def _england_zero(series):
    """Progress averages 0 nationally by construction, and the DfE leaves England's cell blank: then
    England is drawn at 0 wherever another series has a figure, and named so (as on the public pages).
    A published England figure (state-funded schools, e.g. -0.03) is shown as published."""
    england = [by_year for name, by_year in series if name.startswith("England")]
    if any(v is not None for by_year in england for v in by_year.values()):
        return series
    others = [(name, by_year) for name, by_year in series if not name.startswith("England")]
    years = sorted({y for _, by_year in others for y, v in by_year.items() if v is not None})
    return others + [(ZERO_ENGLAND, {y: 0 for y in years})] if years else others


def _cell(name, value, unit):
    if name == ZERO_ENGLAND and value == 0:
        return "0 (by definition)"
    return fmt(value, unit)


def school_series(school, codes):
    """{code: {year: value}} of the school's own published figures (markers left out)."""
    out = defaultdict(dict)
    for code, year, value in Value.objects.filter(school=school, measure__code__in=list(codes)).values_list(
        "measure__code", "year", "value"
    ):
        if value is not None:
            out[code][year] = value
    return out


def units_for(codes):
    """code -> unit from the measure catalogue ("" for a code it does not have)."""
    known = dict(Measure.objects.filter(code__in=list(codes)).values_list("code", "unit"))
    return {code: known.get(code, "") for code in codes}
