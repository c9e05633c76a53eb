"""The published figures a public school page shows: the school beside its LA and England, per year.

Published performance-table data only (what the DfE and Ofsted publish for every school). Never a
band, rating or priority: those are the partnership's own judgements and stay on private pages.
"""

from django.db.models import Q

from pep_portal import charts
from schools import glossary
from schools.imports.profiles import REPORT_CARD_WORDS
from schools.models import Benchmark, ImportRecord, Marker, TrustValue, Value
from schools.years import year_label

GROUPS = (
    ("ks2", "Key stage 2 results"),
    ("ks4", "Key stage 4 results"),
    ("ks4_destinations", "Key stage 4 destinations (the year after key stage 4)"),
    ("absence", "Absence"),
    ("suspensions", "Suspensions and permanent exclusions"),
    ("census", "Pupils (school census)"),
)
# Absence and census comparators are by phase; all-through schools compare with secondary figures.
PHASE_ROWS = {"primary": "PRI", "secondary": "SEC", "all_through": "SEC", "special": "SPE", "16_plus": "SEC"}
YEARS_SHOWN = 3


# Progress scores average 0 nationally by construction; the DfE leaves England's progress cells blank.
ZERO_BY_DEFINITION = {"ks2_read_prog", "ks2_writ_prog", "ks2_mat_prog", "ks4_p8"}
# The cohort in the files counts all pupils at the end of the key stage, not a subgroup.
SUBGROUP_MEASURES = {"ks2_dis_rwm_exp"}


def show(value, marker, unit):
    if marker == Marker.BLANK:
        return "No figure"
    if marker:
        return Marker(marker).label if marker in Marker.values else marker
    if value is None:
        return "No figure"
    if unit == "percent":
        return f"{value:.1f}".rstrip("0").rstrip(".") + "%"
    if unit == "count":
        return f"{value:,.0f}"
    if unit == "score":
        return f"{value:.2f}".rstrip("0").rstrip(".") if abs(value) < 10 else f"{value:.1f}"
    return f"{value:g}"


def figures(school):
    """{"groups": [...], "report_card": [...], "la_name"}: per kind of file, its years as columns and one
    row a measure, then per measure a small chart with its table (the school, its LA, England) and the
    file each year's figure came from.

    Four queries whatever the school: its values with their measures, the benchmarks, the import records.
    """
    values = list(
        Value.objects.filter(school=school).select_related("measure").order_by("measure__order", "-year")
    )
    if not values:
        return {"groups": [], "report_card": []}
    phase = PHASE_ROWS.get(school.phase, "")
    groups_years = {}
    for v in values:
        groups_years.setdefault(v.measure.kind, set()).add(v.year)
    shown_years = {kind: sorted(years)[-YEARS_SHOWN:] for kind, years in groups_years.items()}
    shown = [v for v in values if v.year in shown_years[v.measure.kind]]
    bench = {}
    for b in Benchmark.objects.filter(
        measure_id__in={v.measure_id for v in shown if v.measure.kind != "ofsted"},
        year__in={v.year for v in shown},
    ).filter(Q(area=Benchmark.Area.ENGLAND) | Q(area=Benchmark.Area.LA, la_code=school.la.code)):
        if not b.phase or b.phase == phase:
            bench[(b.area, b.measure_id, b.year)] = b
    sources = {r.pk: r for r in ImportRecord.objects.filter(pk__in={v.source_id for v in shown if v.source_id})
               .only("pk", "kind", "profile", "file_name", "finished_at", "created_at")}
    groups = []
    for kind, title in GROUPS:
        in_group = [v for v in shown if v.measure.kind == kind]
        if in_group:
            groups.append(_group(kind, title, in_group, shown_years[kind], bench, sources, school.la.name))
    latest_ofsted = max((v.year for v in shown if v.measure.kind == "ofsted"), default=None)
    report_card = [
        {"area": v.measure.short_label or v.measure.label, "year": year_label(v.year), "grade": _report_card_word(v),
         "code": v.measure.code}
        for v in shown if v.measure.kind == "ofsted" and v.year == latest_ofsted
    ]
    return {"groups": groups, "report_card": report_card, "la_name": school.la.name,
            "report_card_source": glossary.source("ofsted")}


def _group(kind, title, values, years, bench, sources, la_name):
    by_measure = {}
    for v in values:
        by_measure.setdefault(v.measure_id, {"measure": v.measure, "years": {}})["years"][v.year] = v
    measures = [_measure(m["measure"], m["years"], years, bench, sources, la_name) for m in by_measure.values()]
    return {"kind": kind, "title": title, "source": glossary.source(kind), "years": [year_label(y) for y in years],
            "measures": measures}


def _measure(measure, by_year, years, bench, sources, la_name):
    """One measure: its row of the group table, and its own chart and table against the LA and England."""
    school = [by_year.get(y) for y in years]
    la = [bench.get((Benchmark.Area.LA, measure.id, y)) for y in years]
    england = [bench.get((Benchmark.Area.ENGLAND, measure.id, y)) for y in years]
    zero = measure.code in ZERO_BY_DEFINITION
    eng_numbers = [_england_number(b, v, zero) for b, v in zip(england, school, strict=True)]
    rows = [
        {"name": "This school", "cells": [_cell(v, measure.unit) for v in school]},
        {"name": la_name, "cells": [_cell(b, measure.unit, missing="Not available") for b in la]},
        {"name": "England", "cells": [
            ZERO_WORDS if zero and n == 0 and (b is None or b.value is None) else _cell(b, measure.unit, "Not available")
            for b, n in zip(england, eng_numbers, strict=True)]},
    ]
    if measure.code not in SUBGROUP_MEASURES and any(v is not None and v.cohort for v in school):
        rows.append({"name": "Pupils counted", "cells": [f"{v.cohort:,}" if v is not None and v.cohort else ""
                                                         for v in school]})
    labels = [year_label(y) for y in years]
    figure = charts.line_chart(measure.label, labels, [
        ("This school", [_number(v) for v in school]),
        (la_name, [_number(b) for b in la]),
        ("England (0 by definition)" if zero and ZERO_WORDS in rows[2]["cells"] else "England", eng_numbers),
    ], y_title=Y_TITLES.get(measure.unit, ""), x_title="", la_names=(la_name,), height=260)
    return {"code": measure.code, "label": measure.label, "about_url": glossary.about_url(measure.code),
            "school": rows[0]["cells"], "rows": rows, "chart_id": f"figure-{measure.code}",
            "figure_json": charts.to_json(figure), "has_numbers": any(_number(v) is not None for v in school),
            "sources": _sources(by_year, years, sources)}


ZERO_WORDS = "0 (by definition)"
Y_TITLES = {"percent": "%", "score": "score", "count": "pupils", "rate": "per 100 pupils"}


def _cell(row, unit, missing="No figure"):
    return show(row.value, row.marker, unit) if row is not None else missing


def _number(row):
    return row.value if row is not None and not row.marker else None


def _england_number(b, school_value, zero):
    # Progress averages 0 nationally by construction; the DfE leaves England's cell blank. Shown as 0
    # wherever the school has a published progress score, the same way on every page.
    if zero and (b is None or b.value is None):
        return 0 if _number(school_value) is not None else None
    return _number(b)


def _sources(by_year, years, records):
    """"Source files: 2024/25 ks2.csv, 2023/24 ks2_23.csv (imported 29 November 2026)"; one date if shared."""
    found = []
    for y in reversed(years):
        record = records.get(by_year[y].source_id) if y in by_year else None
        if record is not None:
            found.append((year_label(y), record.file_name, f"{record.finished_at or record.created_at:%-d %B %Y}"))
    if not found:
        return ""
    dates = {d for _, _, d in found}
    if len(dates) == 1:
        return ", ".join(f"{y} {f}" for y, f, _ in found) + f" (imported {dates.pop()})"
    return ", ".join(f"{y} {f} (imported {d})" for y, f, d in found)


def _report_card_word(v):
    if v.marker:
        return Marker(v.marker).label if v.marker in Marker.values else v.marker
    if v.measure.code == "ofsted_rc_safeguarding":
        return "Met" if v.value == 1 else "Not met"
    return REPORT_CARD_WORDS.get(v.value, str(v.value))



def trust_figures(trust):
    """The trust's published KS4 figures (DfE MAT performance tables) beside England, latest years first.

    [{"year", "measure", "trust", "england", "cohort"}]; two queries. Published data only, never rated.
    """
    values = list(TrustValue.objects.filter(trust_uid=trust.uid).select_related("measure")
                  .order_by("-year", "measure__order"))
    years = sorted({v.year for v in values}, reverse=True)[:YEARS_SHOWN]
    values = [v for v in values if v.year in years]
    if not values:
        return []
    england = {
        (b.measure_id, b.year): b
        for b in Benchmark.objects.filter(measure_id__in={v.measure_id for v in values}, year__in=years,
                                          area=Benchmark.Area.ENGLAND, phase="")
    }

    def beside(v):
        b = england.get((v.measure_id, v.year))
        # Progress 8 averages 0 nationally, but only say so where the trust has a Progress 8 figure.
        if v.measure.code in ZERO_BY_DEFINITION and v.value is not None and (b is None or b.value is None):
            return "0 (by definition)"
        return show(b.value, b.marker, v.measure.unit) if b else "Not available"

    return [{"year": year_label(v.year), "measure": v.measure.label, "trust": show(v.value, v.marker, v.measure.unit),
             "england": beside(v), "cohort": v.cohort} for v in values]
