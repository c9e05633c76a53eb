"""Support pages, mounted at /dashboard/support/ (pep_portal/urls.py): the overview, a school's record
and peer support. Visits and questions are in record_views.

Officers and admins: this term's visits, questions and next steps; a school's support record; peer
support. School and trust leaders: their own schools' questions and visits, and their offers of
support. Everyone else gets 404; anonymous visitors are sent to log in.
"""

import datetime
from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from dashboard.access import log_support_view, officer_required, visible_school
from dashboard.models import CurrentRun
from pep_portal.roles import is_officer
from schools.models import Cluster, School

from . import measures, plans, terms
from .forms import ExtraVisitForm, OfferForm, PeerRoundForm, PlanForm
from .models import (
    NextStep,
    PeerReviewRound,
    Question,
    SupportEvent,
    SupportExclusion,
    SupportOffer,
    SupportPlan,
    Term,
    Visit,
)
from .record_views import visit_state

SOON_DAYS = 30
VISITS_PAGE = 100


# ---- overview ------------------------------------------------------------------------------------

@login_required
def overview(request):
    if not is_officer(request.user):
        return leader_overview(request)
    today = timezone.localdate()
    current = terms.term_for(today)
    term = current
    if request.GET.get("term", "").isdigit():
        term = get_object_or_404(Term, pk=int(request.GET["term"]))
    term_visits = Visit.objects.filter(plan__term=term).exclude(status=Visit.Status.CANCELLED)
    states = term_visits.aggregate(
        Done=Count("id", filter=Q(status=Visit.Status.DONE)),
        Overdue=Count("id", filter=Q(status=Visit.Status.PLANNED, planned_date__lt=today)),
        Due=Count("id", filter=Q(status=Visit.Status.PLANNED, planned_date__gte=today)),
    )
    # Paged: a national-scale partnership plans thousands of visits a term.
    page = Paginator(
        term_visits.select_related("school", "visitor", "plan").order_by("planned_date", "school__name", "id"),
        VISITS_PAGE,
    ).get_page(request.GET.get("page"))
    visits = list(page.object_list)
    for v in visits:
        v.state = visit_state(v, today)
    questions = list(
        Question.objects.filter(term=term).active().select_related("school").order_by("status", "reply_by")[:500]
    )
    for q in questions:
        q.overdue = q.status == Question.Status.OPEN and q.reply_by and q.reply_by < today
    next_steps = list(
        NextStep.objects.open().filter(due_date__lte=today + datetime.timedelta(days=SOON_DAYS))
        .select_related("visit__school").order_by("due_date", "id")[:500]
    )
    for s in next_steps:
        s.overdue = s.due_date < today
    plan_counts = Counter(
        SupportPlan.objects.filter(term=term, in_scope=True).values_list("priority", flat=True)
    )
    return render(request, "support/overview.html", {
        "term": term,
        "current_term": current,
        "terms": list(Term.objects.order_by("-start")[:9]),
        "visits": visits,
        "page": page,
        "states": states,
        "questions": questions,
        "open_questions": sum(1 for q in questions if q.status == Question.Status.OPEN),
        "answered_questions": sum(1 for q in questions if q.status == Question.Status.ANSWERED),
        "closed_questions": Question.objects.filter(term=term, status=Question.Status.CLOSED).count(),
        "next_steps": next_steps,
        "overdue_steps": sum(1 for s in next_steps if s.overdue),
        "plans": [(p, plan_counts.get(p, 0)) for p in ("1", "2", "3")],
        "exclusions": list(SupportExclusion.objects.select_related("school", "created_by")),
        "today": today,
        "soon_days": SOON_DAYS,
    })


def leader_overview(request):
    visible = School.objects.visible_to(request.user).order_by("name")
    schools = list(visible)
    if not schools:
        raise Http404("Not found")
    # Leaders offer their own schools' support to others (peer support); officers broker it.
    options = measure_options()
    offer_form = OfferForm(measures=options, schools=visible)
    if request.method == "POST":
        do = request.POST.get("do")
        if do == "remove_offer":
            offer = get_object_or_404(SupportOffer, pk=request.POST.get("offer") or 0, school__in=schools)
            offer.delete()
            messages.success(request, f"{offer.school.name} no longer offers support in that area.")
            return redirect(request.path)
        if do != "offer":
            raise Http404("Not found")
        offer_form = OfferForm(request.POST, measures=options, schools=visible)
        if offer_form.is_valid():
            data = offer_form.cleaned_data
            SupportOffer.objects.update_or_create(school=data["school"], measure_code=data["measure_code"],
                                                  defaults={"note": data["note"]})
            messages.success(request, f"Thank you: {data['school'].name} is listed as willing to support others.")
            return redirect(request.path)
    labels = dict(options)
    offers = list(SupportOffer.objects.filter(school__in=schools).select_related("school"))
    for o in offers:
        o.area = labels.get(o.measure_code, o.measure_code) if o.measure_code else "Any area"
    today = timezone.localdate()
    questions = list(
        Question.objects.filter(school__in=schools).exclude(status=Question.Status.WITHDRAWN)
        .select_related("school", "term").prefetch_related("replies")
    )
    visits = list(
        Visit.objects.filter(school__in=schools).exclude(status=Visit.Status.CANCELLED)
        .select_related("school", "visitor", "plan__term").order_by("-planned_date")
    )
    for v in visits:
        v.state = visit_state(v, today)
    return render(request, "support/leader.html", {
        "schools": schools,
        "questions": questions,
        "waiting": [q for q in questions if q.status == Question.Status.OPEN],
        "visits": visits,
        "offers": offers,
        "offer_form": offer_form,
    })


# ---- a school's record ---------------------------------------------------------------------------

def school_record(school, user):
    """What the support record shows of a school (used by the page and the dashboard include)."""
    officer = is_officer(user)
    today = timezone.localdate()
    term = terms.term_for(today)
    plan = SupportPlan.objects.filter(school=school, term=term).select_related("adviser", "supporting_school").first()
    visits = list(
        Visit.objects.filter(school=school).select_related("visitor", "plan__term")
        .prefetch_related("next_steps").order_by("-planned_date")
    )
    for v in visits:
        v.state = visit_state(v, today)
    questions = Question.objects.filter(school=school).select_related("term")
    if not officer:
        questions = questions.exclude(status=Question.Status.WITHDRAWN)
        visits = [v for v in visits if v.status != Visit.Status.CANCELLED]
    return {
        "school": school,
        "officer": officer,
        "term": term,
        "plan": plan,
        "visits": visits,
        "questions": list(questions),
        "exclusion": plans.exclusion_for(school),
        "today": today,
    }


@login_required
@require_http_methods(["GET", "POST"])
def school(request, urn):
    school = visible_school(request.user, urn)
    log_support_view(request, school)
    context = school_record(school, request.user)
    officer = context["officer"]
    plan = context["plan"]
    plan_form = PlanForm(school=school, initial={
        "adviser": plan.adviser_id if plan else None,
        "supporting_school": plan.supporting_school_id if plan else None,
        "notes": plan.notes if plan else "",
    })
    visit_form = ExtraVisitForm()
    if request.method == "POST":
        if not officer:
            raise Http404("Not found")
        action = request.POST.get("do")
        term = context["term"]
        if action == "plan":
            plan_form = PlanForm(request.POST, school=school)
            if plan_form.is_valid():
                plans.assign_plan(school, term, request.user, **plan_form.cleaned_data)
                messages.success(request, "The support plan was saved.")
                return redirect(request.path)
        elif action == "visit":
            visit_form = ExtraVisitForm(request.POST)
            if visit_form.is_valid():
                plans.plan_visit(school, term, visit_form.cleaned_data["planned_date"], request.user)
                messages.success(request, "The visit was planned.")
                return redirect(request.path)
        else:
            raise Http404("Not found")
    if officer:
        run = CurrentRun.get()
        context["helpers"] = helpers_for(school, run)
        context["events"] = list(SupportEvent.objects.filter(school=school).select_related("user", "run")[:100])
        context["plan_form"] = plan_form
        context["visit_form"] = visit_form
    return render(request, "support/school.html", context)


def helpers_for(school, run):
    """[(red measure snapshot, [willing green schools])] for the school's red measures in the run."""
    if run is None:
        return []
    reds = measures.red_measures(run, [school.pk]).get(school.pk, [])
    return [(m, list(measures.who_can_help(school, m["code"], run))) for m in reds]


# ---- peer support --------------------------------------------------------------------------------

def measure_options():
    run = CurrentRun.get()
    codes = list(run.rule_set.engine().rules) if run else []
    labels = measures.measure_labels(codes)
    return [(c, labels[c][0]) for c in codes]


@officer_required
@require_http_methods(["GET", "POST"])
def peer_support(request):
    options = measure_options()
    form = OfferForm(measures=options)
    if request.method == "POST":
        if request.POST.get("do") == "remove_offer":
            offer = get_object_or_404(SupportOffer, pk=request.POST.get("offer") or 0)
            offer.delete()
            messages.success(request, f"{offer.school.name} no longer offers support in that area.")
            return redirect(request.path)
        form = OfferForm(request.POST, measures=options)
        if form.is_valid():
            data = form.cleaned_data
            SupportOffer.objects.update_or_create(school=data["school"], measure_code=data["measure_code"],
                                                  defaults={"note": data["note"]})
            messages.success(request, f"{data['school'].name} is listed as willing to support.")
            return redirect(request.path)
    labels = dict(options)
    offers = list(SupportOffer.objects.select_related("school"))
    for o in offers:
        o.area = labels.get(o.measure_code, o.measure_code) if o.measure_code else "Any area"
    clusters = list(Cluster.objects.order_by("name").prefetch_related("schools"))
    rounds = list(PeerReviewRound.objects.select_related("cluster", "term").prefetch_related("schools_reviewed")[:50])
    return render(request, "support/peer.html", {
        "clusters": clusters,
        "rounds": rounds,
        "offers": offers,
        "form": form,
    })


@officer_required
@require_http_methods(["GET", "POST"])
def peer_round_new(request, pk):
    cluster = get_object_or_404(Cluster, pk=pk)
    form = PeerRoundForm(request.POST or None, cluster=cluster)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            round_ = PeerReviewRound.objects.create(cluster=cluster, term=terms.term_for(data["date"]),
                                                    date=data["date"], notes=data["notes"])
            round_.schools_reviewed.set(data["schools_reviewed"])
        messages.success(request, f"The peer-review round of {cluster.name} was recorded.")
        return redirect("support:peer")
    return render(request, "support/peer_round.html", {"cluster": cluster, "form": form})
