"""The published figures a public school page shows: the school beside its LA and England, per year.

Published performance-table data only (what the DfE and Ofsted publish for every school). Never a
band, rating or priority: those are the partnership's own judgements and stay on private pages.
"""

from django.db.models import Q

from schools.imports.profiles import REPORT_CARD_WORDS, year_label
from schools.models import Benchmark, Marker, TrustValue, Value

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
    """{"groups": [{"title", "rows": [{"measure", "year", "school", "la", "england", "cohort"}]}], "report_card": [...]}.

    Three queries whatever the school: its values, their measures, and the matching benchmarks.
    """
    values = list(
        Value.objects.filter(school=school).select_related("measure").order_by("measure__order", "-year")
    )
    if not values:
        return {"groups": [], "report_card": []}
    latest = {}
    for v in values:
        latest.setdefault(v.measure_id, [])
        if len(latest[v.measure_id]) < YEARS_SHOWN:
            latest[v.measure_id].append(v)
    shown = [v for vs in latest.values() for v in vs]
    phase = PHASE_ROWS.get(school.phase, "")
    bench = {}
    years = {v.year for v in shown}
    measure_ids = {v.measure_id for v in shown if v.measure.kind != "ofsted"}
    for b in Benchmark.objects.filter(measure_id__in=measure_ids, year__in=years).filter(
        Q(area=Benchmark.Area.ENGLAND) | Q(area=Benchmark.Area.LA, la_code=school.la.code)
    ):
        if b.phase and b.phase != phase:
            continue
        bench[(b.area, b.measure_id, b.year)] = b

    def cmp(area, v):
        b = bench.get((area, v.measure_id, v.year))
        if area == Benchmark.Area.ENGLAND and v.measure.code in ZERO_BY_DEFINITION and (b is None or b.value is None):
            return "0 (by definition)"
        return show(b.value, b.marker, v.measure.unit) if b else "Not available"

    groups = []
    for kind, title in GROUPS:
        rows = [
            {"measure": v.measure.label, "year": year_label(v.year), "school": show(v.value, v.marker, v.measure.unit),
             "la": cmp(Benchmark.Area.LA, v), "england": cmp(Benchmark.Area.ENGLAND, v),
             "cohort": None if v.measure.code in SUBGROUP_MEASURES else v.cohort}
            for v in shown if v.measure.kind == kind
        ]
        if rows:
            groups.append({"kind": kind, "title": title, "rows": rows, "has_cohort": any(r["cohort"] for r in rows)})
    report_card = [
        {"area": v.measure.short_label or v.measure.label, "year": year_label(v.year),
         "grade": _report_card_word(v)}
        for v in shown if v.measure.kind == "ofsted" and v.year == max(x.year for x in shown if x.measure.kind == "ofsted")
    ]
    return {"groups": groups, "report_card": report_card, "la_name": school.la.name}


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
