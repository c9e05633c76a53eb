"""The confidential dashboard: overview, school list with exports, school dashboards, rule sets.

Officers and admins see every school; school and trust leaders see only their own schools' dashboards
(`/dashboard/` takes them there); everyone else gets 404, and anonymous visitors are sent to log in.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, CharField, F, When
from django.db.models import Value as V
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods
from django_tables2 import RequestConfig

from pep_portal.charts import chart_page
from pep_portal.roles import admin_only, is_officer
from refresh.api import make_live
from refresh.locks import Busy
from schools import glossary
from schools.models import Measure, ReportCard, School
from schools.numbers import figure
from schools.performance_public import ZERO_BY_DEFINITION
from schools.years import academic_year_of, year_label

from . import exports, queries, ratings, runs
from .access import log_access, log_export, officer_required, visible_school
from .forms import CopyForm, OverrideForm, RuleSetForm
from .models import (
    CurrentRun,
    DashboardAccess,
    MeasureRating,
    PriorityOverride,
    RatingRun,
    RuleSet,
    RuleSetLocked,
    SchoolRating,
)
from .overrides import clear_best_fit, set_best_fit
from .tables import RatingFilter, RatingTable

HEAT_MAP_PAGE = 100
LIST_PAGE = 50
PRIORITY_ORDER = ("1", "2", "3", "")


def _meta(codes):
    """Labels and units of measures from the measure catalogue in one query (the code if it is unknown)."""
    rows = {c: (short or label, unit) for c, short, label, unit in
            Measure.objects.filter(code__in=list(codes)).values_list("code", "short_label", "label", "unit")}
    labels, units = {}, {}
    for code in codes:
        labels[code], units[code] = rows.get(code, (code, ""))
    return labels, units


# ---- overview ----------------------------------------------------------------------------------

@login_required
@chart_page
def overview(request):
    user = request.user
    if not is_officer(user):
        return leader_home(request)
    run = CurrentRun.get()
    latest = RatingRun.objects.select_related("triggered_by", "rule_set").first()
    codes = queries.core_codes(run)
    labels, units = _meta(codes)
    counts = queries.priority_counts(run)
    before = queries.priority_counts(run.previous) if run and run.previous_id else {}
    summary = [
        {"priority": p, "label": f"Priority {p}" if p else "Not rated", "count": counts.get(p, 0),
         "change": counts.get(p, 0) - before.get(p, 0) if run and run.previous_id else None}
        for p in PRIORITY_ORDER
    ]
    current = SchoolRating.objects.filter(run=run) if run else SchoolRating.objects.none()
    changed_qs = current.filter(changed=True).select_related("school").order_by("priority", "school__name")
    changed = list(changed_qs[:100])
    heat = Paginator(current.select_related("school").order_by("school__name", "school__urn"), HEAT_MAP_PAGE)
    page = heat.get_page(request.GET.get("page"))
    overrides = queries.overrides_for([r.school_id for r in page] + [r.school_id for r in changed])
    heat_rows = [
        {"rating": r, "override": overrides.get(r.school_id),
         "cells": [(labels[c], r.bands.get(c, "")) for c in codes]}
        for r in page
    ]
    return render(request, "dashboard/overview.html", {
        "run": run,
        "latest": latest,
        "latest_failed": latest is not None and run is not None and latest.pk != run.pk
        and latest.status == RatingRun.Status.FAILED,
        "summary": summary,
        "overridden": PriorityOverride.objects.active().count(),
        "changed": [{"rating": r, "override": overrides.get(r.school_id)} for r in changed],
        "changed_total": changed_qs.count() if len(changed) == 100 else len(changed),
        "codes": codes,
        "headings": glossary.column_headings(codes, labels),
        "heat_rows": heat_rows,
        "page": page,
        "charts": queries.measure_charts(codes, labels, units, prefix="measure-chart"),
        "year_label": year_label(run.year) if run else "",
    })


def leader_home(request):
    """A school or trust leader: straight to their school, or the list of their schools."""
    schools = list(School.objects.visible_to(request.user).order_by("name").only("id", "urn", "name"))
    if not schools:
        raise Http404("Not found")
    if len(schools) == 1:
        return redirect("dashboard:school_detail", urn=schools[0].urn)
    run = CurrentRun.get()
    by_school = {r.school_id: r for r in SchoolRating.objects.filter(run=run, school__in=[s.id for s in schools])}
    overrides = queries.overrides_for([s.id for s in schools])
    rows = [{"school": s, "rating": by_school.get(s.id), "override": overrides.get(s.id)} for s in schools]
    return render(request, "dashboard/my_schools.html", {"rows": rows, "run": run})


# ---- school list -------------------------------------------------------------------------------

def rating_queryset(run):
    qs = SchoolRating.objects.filter(run=run) if run else SchoolRating.objects.none()
    return qs.select_related("school").annotate(
        override_priority=queries.active_override_priority(),
        # Not rated sorts after priority 3.
        priority_rank=Case(When(priority="", then=V("9")), default=F("priority"), output_field=CharField()),
    )


@officer_required
def school_list(request):
    run = CurrentRun.get()
    codes = queries.core_codes(run)
    labels, _ = _meta(codes)
    filterset = RatingFilter(request.GET or None, queryset=rating_queryset(run), core_codes=codes, labels=labels)
    qs = filterset.qs
    export = request.GET.get("_export")
    if export in ("csv", "xlsx"):
        log_export(request, export)
        return exports.as_csv(qs, codes) if export == "csv" else exports.as_xlsx(qs, codes)
    table = RatingTable(qs, core_codes=codes, labels=dict(glossary.column_headings(codes, labels)))
    RequestConfig(request, paginate={"per_page": LIST_PAGE}).configure(table)
    query = request.GET.copy()
    for key in ("page", "_export", "sort"):
        query.pop(key, None)
    base = query.urlencode()
    total = table.paginator.count
    caption = f"{total:,} school{'' if total == 1 else 's'}" + (
        f", page {table.page.number} of {table.paginator.num_pages}" if table.paginator.num_pages > 1 else "")
    return render(request, "dashboard/school_list.html", {
        "filter": filterset, "table": table, "total": total, "caption": caption, "run": run,
        "csv_query": (base + "&" if base else "") + "_export=csv",
        "xlsx_query": (base + "&" if base else "") + "_export=xlsx",
    })


# ---- school dashboard --------------------------------------------------------------------------

@login_required
@chart_page
@require_http_methods(["GET", "POST"])
def school_detail(request, urn):
    school = visible_school(request.user, urn)
    officer = is_officer(request.user)
    run = CurrentRun.get()
    active = PriorityOverride.objects.active().filter(school=school).select_related("set_by").first()
    rating = SchoolRating.objects.filter(run=run, school=school).first() if run else None
    form = OverrideForm()
    if request.method == "POST":
        if not officer:
            raise Http404("Not found")
        if request.POST.get("action") == "clear":
            if clear_best_fit(school, request.user):
                messages.success(request, "The best-fit priority was removed; the computed priority applies.")
            return redirect(request.path)
        form = OverrideForm(request.POST)
        if form.is_valid():
            set_best_fit(school, form.cleaned_data["priority"], form.cleaned_data["reason"], request.user, run)
            messages.success(request, f"Best-fit priority set to Priority {form.cleaned_data['priority']}.")
            return redirect(request.path)
    else:
        log_access(request, DashboardAccess.Kind.DASHBOARD, school=school)

    measures = list(MeasureRating.objects.filter(school_rating=rating).order_by("id")) if rating else []
    codes = [m.measure_code for m in measures] or (queries.core_codes(run) if run else [])
    labels, units = _meta(codes)
    for m in measures:
        m.label = labels.get(m.measure_code, m.measure_code)
        m.value_text = queries.fmt(m.value, units.get(m.measure_code))
        m.year_label = year_label(m.year) if m.year is not None else "None"
        comparator_text = queries.fmt(m.comparator, units.get(m.measure_code))
        # A fixed comparator is its own name ("0"); others read "65% national".
        m.comparator_label = (
            comparator_text if m.comparator_name == figure(m.comparator) else f"{comparator_text} {m.comparator_name}"
        )
        if m.measure_code in ZERO_BY_DEFINITION and m.comparator == 0:
            m.comparator_label = "0 (England, by definition)"  # progress: worded as on every other page
    phases, absence_phase = ratings.classify_school(
        school.phase_name or school.phase, school.type_name,
        special_flag=school.governance in runs.SPECIAL_GOVERNANCE or school.phase == "special")
    charts = queries.measure_charts(
        codes, labels, units, queries.school_series(school, codes), prefix="school-chart",
        la_codes=[school.la.code], phases={"", absence_phase},
    )
    return render(request, "dashboard/school_detail.html", {
        "school": school,
        "run": run,
        "rating": rating,
        "measures": measures,
        "charts": charts,
        "history": priority_history(school),
        "override": active,
        "overrides": list(PriorityOverride.objects.filter(school=school).select_related("set_by", "cleared_by")[:50]),
        "officer": officer,
        "form": form,
        "trust": _current_trust(school),
        "year_label": year_label(run.year) if run else "",
        "trend_years": _trend_years(run),
        "report_card": report_card(school),
    })


def report_card(school):
    """The latest Ofsted report card (from November 2025) as its areas, each with its grade and date;
    never converted to the 1-4 scale."""
    card = ReportCard.objects.filter(school=school).first()
    if card is None:
        return None
    areas = [{"area": area, "grade": grade, "graded_on": _iso_date(graded)} for area, grade, graded in card.areas]
    return {"inspected_on": card.inspected_on, "year_label": year_label(academic_year_of(card.inspected_on)),
            "category_of_concern": card.category_of_concern, "areas": areas}


def _iso_date(text):
    return datetime.date.fromisoformat(text) if text else None


def _trend_years(run):
    try:
        return run.rule_set.engine().trend_years if run else 3
    except ratings.RatingError:
        return 3


def _current_trust(school):
    link = (school.trust_links.filter(left_on=None, trust__type__in=("mat", "sat")).select_related("trust").first())
    return link.trust if link else None


def priority_history(school, limit=200):
    """Periods of the same computed priority across finished runs, newest first."""
    rows = list(
        SchoolRating.objects.filter(school=school, run__status=RatingRun.Status.DONE)
        .order_by("-run__started_at", "-run_id")
        .values_list("run__started_at", "run__year", "priority", "reasons")[:limit]
    )
    periods = []
    for started, year, priority, reasons in reversed(rows):
        if periods and periods[-1]["priority"] == priority and periods[-1]["year"] == year:
            periods[-1]["last"] = started
            periods[-1]["runs"] += 1
            periods[-1]["reasons"] = reasons
            continue
        periods.append({"priority": priority, "year": year, "year_label": year_label(year), "first": started,
                        "last": started, "runs": 1, "reasons": reasons})
    return list(reversed(periods))


# ---- rule sets ---------------------------------------------------------------------------------

@admin_only
def rule_sets(request):
    sets = list(RuleSet.objects.select_related("made_live_by", "created_by"))
    return render(request, "dashboard/rules.html", {"rule_sets": sets, "current": CurrentRun.get()})


@admin_only
@require_http_methods(["GET", "POST"])
def rule_set_detail(request, pk):
    rule_set = get_object_or_404(RuleSet, pk=pk)
    engine = rule_set.engine()
    labels, units = _meta(list(engine.rules))
    form = None
    if rule_set.editable:
        form = RuleSetForm(request.POST or None, rule_set=rule_set, labels=labels)
        if request.method == "POST" and form.is_valid():
            rule_set.name = form.cleaned_data["name"]
            rule_set.notes = form.cleaned_data["notes"]
            rule_set.rules = form.rules_data(rule_set.rules)
            try:
                rule_set.save()
            except (ratings.RatingError, RuleSetLocked) as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "The draft rule set was saved. Preview its effect before making it live.")
                return redirect("dashboard:rule_set", pk=rule_set.pk)
    elif request.method == "POST":
        messages.error(request, "A live rule set cannot be changed. Copy it to a new version and edit that.")
        return redirect("dashboard:rule_set", pk=rule_set.pk)
    rules = [
        {"label": labels[code], "rule": rule, "describe": engine.describe(code), "comparator": queries_comparator(rule),
         "phases": ", ".join(sorted(rule.phases)), "unit": units[code]}
        for code, rule in engine.rules.items()
    ]
    return render(request, "dashboard/rule_set.html", {
        "rule_set": rule_set, "engine": engine, "rules": rules, "form": form,
        "copy_form": CopyForm(initial={"year": rule_set.year}),
    })


def queries_comparator(rule):
    return {
        ratings.ComparatorKind.ENGLAND: "England, same year" + (" and phase" if rule.by_phase else ""),
        ratings.ComparatorKind.LA: "The school's LA, same year" + (" and phase" if rule.by_phase else ""),
        ratings.ComparatorKind.NEIGHBOURS: "Statistical neighbours",
        ratings.ComparatorKind.FIXED: f"Fixed: {figure(rule.fixed_value)}",
    }[rule.comparator]


@admin_only
@require_http_methods(["GET", "POST"])
def rule_set_copy(request, pk):
    rule_set = get_object_or_404(RuleSet, pk=pk)
    form = CopyForm(request.POST or None, initial={"year": rule_set.year})
    if request.method == "POST" and form.is_valid():
        copy = rule_set.copy(year=form.cleaned_data["year"], user=request.user)
        messages.success(request, f"Copied to a draft for {year_label(copy.year)} (version {copy.version}).")
        return redirect("dashboard:rule_set", pk=copy.pk)
    return render(request, "dashboard/rule_set_copy.html", {"rule_set": rule_set, "form": form})


@admin_only
@require_http_methods(["GET", "POST"])
def rule_set_preview(request, pk):
    rule_set = get_object_or_404(RuleSet, pk=pk)
    if request.method == "POST":
        if rule_set.status != RuleSet.Status.DRAFT:
            messages.error(request, "Only a draft rule set can be made live.")
            return redirect("dashboard:rule_set", pk=rule_set.pk)
        try:
            run = make_live(rule_set, request.user)
        except (Busy, ratings.RatingError, runs.NothingToRate) as exc:
            messages.error(request, f"The rule set was not made live: {exc}")
            return redirect("dashboard:rule_set_preview", pk=rule_set.pk)
        if run is not None:
            messages.success(request, f"The rule set is live. Schools were rated again: "
                                      f"{run.priorities_changed} priorities changed.")
        else:
            messages.success(request, "The rule set is live. It applies from "
                                      f"{year_label(rule_set.year)}; the current ratings were not changed.")
        return redirect("dashboard:rules")
    context = {"rule_set": rule_set}
    year = runs.latest_year()
    if year is None:
        context["no_data"] = True
        return render(request, "dashboard/rule_set_preview.html", context)
    computed = runs.compute(year, rule_set)
    current = CurrentRun.get()
    before = dict(SchoolRating.objects.filter(run=current).values_list("school_id", "priority")) if current else {}
    names = {s.id: s for s in computed.schools}
    changes, after_counts, before_counts = [], {}, {}
    for result in computed.results:
        new = result.priority.value
        old = before.get(result.key)
        after_counts[new] = after_counts.get(new, 0) + 1
        if old is not None:
            before_counts[old] = before_counts.get(old, 0) + 1
        if old != new:
            changes.append({"school": names[result.key], "old": old, "new": new, "reasons": result.reasons})
    changes.sort(key=lambda c: (c["new"] or "9", c["school"].name))
    context.update({
        "year_label": year_label(year),
        "current": current,
        "counts": [{"label": f"Priority {p}" if p else "Not rated", "before": before_counts.get(p, 0),
                    "after": after_counts.get(p, 0)} for p in PRIORITY_ORDER],
        "changes": changes[:500],
        "changes_total": len(changes),
        "school_total": len(computed.results),
    })
    return render(request, "dashboard/rule_set_preview.html", context)

