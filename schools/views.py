"""Public register pages: school and trust directories and pages (public register data only)."""

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, Sum
from django.shortcuts import get_object_or_404, render
from django_tables2 import RequestConfig

from pep_portal.charts import chart_page

from . import glossary
from .exports import csv_response
from .filters import SchoolFilter
from .models import Measure, School, SchoolLink, Trust, TrustLink
from .performance_public import trust_figures
from .tables import SchoolTable

PAGE_SIZE = 50


def directory_queryset():
    return (
        School.objects.partnership()
        .select_related("la")
        .prefetch_related(Prefetch("trust_links", queryset=TrustLink.objects.select_related("trust")))
    )


def school_list(request):
    filterset = SchoolFilter(request.GET or None, queryset=directory_queryset())
    qs = filterset.qs
    if request.GET.get("_export") == "csv":
        return export_schools(qs)
    table = SchoolTable(qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("_export", None)
    return render(request, "schools/school_list.html", {
        "filter": filterset, "table": table, "total": table.paginator.count,
        "caption": f"{table.paginator.count:,} school{'' if table.paginator.count == 1 else 's'}"
        + (f", page {table.page.number} of {table.paginator.num_pages}" if table.paginator.num_pages > 1 else ""),
        "query": query.urlencode(), "export_query": (query.urlencode() + "&" if query else "") + "_export=csv",
    })


EXPORT_HEADER = ["URN", "School", "LA code", "Establishment number", "Type", "Governance", "Phase", "Status",
                 "Trust", "Pupils", "Capacity", "FSM %", "Ofsted rating", "Ofsted inspection date", "Town",
                 "Postcode"]


def export_schools(qs):
    def rows():
        for s in qs.order_by("name").iterator(chunk_size=2000):
            trust = s.current_trust
            yield [s.urn, s.name, s.la.code, s.establishment_number, s.type_name, s.get_governance_display(),
                   s.get_phase_display(), s.get_status_display(), trust.name if trust else "", s.pupils,
                   s.capacity, float(s.fsm_percent) if s.fsm_percent is not None else None, s.ofsted_rating,
                   s.ofsted_date.isoformat() if s.ofsted_date else "", s.town, s.postcode]

    return csv_response("schools.csv", EXPORT_HEADER, rows())


@chart_page
def school_detail(request, urn):
    school = get_object_or_404(
        School.objects.partnership().select_related("la").prefetch_related(
            Prefetch("trust_links", queryset=TrustLink.objects.select_related("trust").order_by("-joined_on")),
            "clusters",
        ),
        urn=urn,
    )
    links = list(SchoolLink.objects.filter(Q(urn=school.urn)).order_by("link_established", "linked_urn"))
    known = dict(School.objects.partnership().filter(urn__in=[lk.linked_urn for lk in links])
                 .values_list("urn", "name"))
    linked = [{"link": lk, "name": known.get(lk.linked_urn), "url": f"/schools/{lk.linked_urn}/"
               if lk.linked_urn in known else ""} for lk in links]
    current_links = [tl for tl in school.trust_links.all() if tl.left_on is None]
    past_links = [tl for tl in school.trust_links.all() if tl.left_on is not None]
    return render(request, "schools/school_detail.html", {
        "school": school, "trust": school.current_trust, "current_links": current_links,
        "past_links": past_links, "linked": linked, "clusters": list(school.clusters.all()),
    })


def trust_queryset():
    partnership = School.objects.partnership().exclude(status=School.Status.CLOSED)
    current = Q(school_links__left_on=None, school_links__school__in=partnership)
    return Trust.objects.annotate(
        school_count=Count("school_links__school", filter=current, distinct=True),
        pupil_total=Sum("school_links__school__pupils", filter=current),
    ).filter(school_count__gt=0)


def trust_list(request):
    trusts = trust_queryset().filter(type__in=(Trust.Type.MAT, Trust.Type.SAT))
    sort = request.GET.get("sort", "name")
    orderings = {"name": ("name",), "schools": ("-school_count", "name"), "pupils": ("-pupil_total", "name")}
    trusts = trusts.order_by(*orderings.get(sort, ("name",)))
    page = Paginator(trusts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "schools/trust_list.html", {"page": page, "sort": sort if sort in orderings else "name"})


def trust_detail(request, uid):
    trust = get_object_or_404(trust_queryset(), uid=uid)
    links = (TrustLink.objects.filter(trust=trust, school__in=School.objects.partnership())
             .select_related("school", "school__la").order_by("school__name"))
    current = [lk for lk in links if lk.left_on is None]
    past = [lk for lk in links if lk.left_on is not None]
    return render(request, "schools/trust_detail.html", {"trust": trust, "current": current, "past": past,
                                                         "trust_results": trust_figures(trust)})


def about_the_data(request):
    """The glossary: every measure by the file it comes from, then the markers that stand for a figure."""
    measures = list(Measure.objects.order_by("order", "code"))
    sections = []
    for kind, src in glossary.SOURCES.items():
        rows = [{"code": m.code, "label": m.label, "abbr": glossary.abbr(m.code, m.short_label),
                 "meaning": glossary.meaning(m.code, m.kind), "unit": m.get_unit_display(),
                 "column": m.source_column} for m in measures if m.kind == kind]
        if kind == "ofsted" and rows:  # one entry for the report card, its areas listed under it
            rows = [{"code": "ofsted_report_card", "label": "Ofsted report card", "abbr": "Ofsted report card",
                     "meaning": glossary.REPORT_CARD_MEANING, "areas": rows}]
        if rows:
            sections.append({"source": src, "measures": rows})
    return render(request, "schools/about_the_data.html", {"sections": sections, "markers": glossary.MARKERS})
