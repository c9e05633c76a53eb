"""This app's part of the public home page (see pep_portal.views.home): the partnership at a glance.

Public aggregates of register data only (never a rating). "Schools" here means the partnership's
open state-funded schools: LA maintained, academies, free schools and special schools.
"""

from django.core.cache import cache
from django.db.models import Count, Q, Sum

from pep_portal.charts import bar_chart, to_json

from .models import ACADEMY_CATEGORIES, Governance, ImportRecord, Phase, School, Trust
from .register_cache import register_key

GOOD_OR_BETTER = ("outstanding", "good", "1", "2")
OLD_GRADES = ("outstanding", "good", "requires improvement", "inadequate", "serious weaknesses", "special measures",
              "1", "2", "3", "4")


CACHE_SECONDS = 600  # also cached until the register changes (register_cache.register_key)


def context(request):
    """The figures are the same for every visitor and change only with the register: computed once per
    change (about 0.5 s of aggregate queries with 22,000 schools) and kept in the cache."""
    key = _cache_key()
    glance = cache.get(key)
    if glance is None:
        glance = _glance()
        cache.set(key, glance, CACHE_SECONDS)
    # The rendered section is cached under the same key (1,400 trusts' rows at England scale).
    return {"glance": glance, "glance_key": key}


def _cache_key():
    return f"schools-home-glance-{register_key()}"


def _glance():
    schools = School.objects.partnership().open().state_funded()
    total = schools.count()
    if not total:
        return None
    by_pair = list(schools.values("phase", "governance").annotate(n=Count("id")))
    phases = [p for p in Phase if any(r["phase"] == p for r in by_pair)]
    categories = [g for g in Governance if any(r["governance"] == g for r in by_pair)]
    counts = {(r["phase"], r["governance"]): r["n"] for r in by_pair}
    by_phase = [(p.label, sum(counts.get((p, g), 0) for g in categories)) for p in phases]
    by_category = [(g.label, sum(counts.get((p, g), 0) for p in phases)) for g in categories]
    table_rows = [(p.label, [counts.get((p, g), 0) for g in categories], dict(by_phase)[p.label]) for p in phases]
    academies = sum(n for (p, g), n in counts.items() if g in ACADEMY_CATEGORIES)

    trusts = list(
        Trust.objects.filter(type__in=(Trust.Type.MAT, Trust.Type.SAT))
        .annotate(n=Count("school_links__school", distinct=True,
                          filter=Q(school_links__left_on=None, school_links__school__in=schools)))
        .filter(n__gt=0).order_by("-n", "name").values("uid", "name", "n")
    )
    in_trusts = schools.filter(trust_links__left_on=None,
                               trust_links__trust__type__in=(Trust.Type.MAT, Trust.Type.SAT)).distinct().count()
    ratings = schools.exclude(ofsted_rating="").values_list("ofsted_rating", flat=True)
    graded = [r.lower() for r in ratings if r.lower() in OLD_GRADES]
    good = sum(1 for r in graded if r in GOOD_OR_BETTER)
    latest_register = (ImportRecord.objects.filter(kind="gias_establishments", status=ImportRecord.Status.DONE)
                       .order_by("-finished_at").values_list("finished_at", flat=True).first())
    latest_inspection = schools.exclude(ofsted_rating="").order_by("-ofsted_date").values_list(
        "ofsted_date", flat=True).first()
    pupils = schools.aggregate(t=Sum("pupils"))["t"] or 0

    figure = bar_chart(
        "Schools by phase and governance", [p.label for p in phases],
        [(g.label, [counts.get((p, g), 0) for p in phases]) for g in categories],
        y_title="Schools", stacked=True,
    )
    return {
        "total": total,
        "by_phase": by_phase,
        "by_category": by_category,
        "categories": [g.label for g in categories],
        "table_rows": table_rows,
        "academies": academies,
        "academy_share": round(100 * academies / total),
        "trusts": trusts,
        "trust_count": len(trusts),
        "in_trusts": in_trusts,
        "graded": len(graded),
        "good": good,
        "good_share": round(100 * good / len(graded)) if graded else None,
        "register_date": latest_register,
        "latest_inspection": latest_inspection,
        "pupils": pupils,
        "figure_json": to_json(figure),
    }
