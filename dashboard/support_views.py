"""Support pages, mounted at /dashboard/support/ (pep_portal/urls.py).

Officers and admins: this term's visits, questions and next steps; a school's support record; the note
of a visit with its next steps; closing questions; peer support. School and trust leaders: their own
schools' questions (with a reply form) and notes of visit, read-only. Everyone else gets 404;
anonymous visitors are sent to log in.
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

from pep_portal.roles import is_officer
from schools.models import Cluster, School
from schools.years import year_label

from . import support
from .access import log_support_view, officer_required, visible_school
from .models import CurrentRun, MeasureRating, SchoolRating
from .support_forms import (
    CloseForm,
    ExtraVisitForm,
    NextStepFormSet,
    OfferForm,
    PeerRoundForm,
    PlanForm,
    ReplyForm,
    VisitRecordForm,
)
from .support_models import (
    NextStep,
    PeerReviewRound,
    Question,
    Reply,
    SupportEvent,
    SupportExclusion,
    SupportOffer,
    SupportPlan,
    Term,
    Visit,
)

SOON_DAYS = 30
VISITS_PAGE = 100


def visit_state(visit, today):
    if visit.status == Visit.Status.DONE:
        return "Done"
    if visit.status == Visit.Status.CANCELLED:
        return "Cancelled"
    return "Overdue" if visit.planned_date < today else "Due"


def _event(school, kind, text, user, term=None):
    SupportEvent.objects.create(school=school, kind=kind, text=text, user=user, term=term)


# ---- overview ------------------------------------------------------------------------------------

@login_required
def overview(request):
    if not is_officer(request.user):
        return leader_overview(request)
    today = timezone.localdate()
    current = support.term_for(today)
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
    plans = Counter(
        SupportPlan.objects.filter(term=term, in_scope=True).values_list("priority", flat=True)
    )
    return render(request, "dashboard/support/overview.html", {
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
        "plans": [(p, plans.get(p, 0)) for p in ("1", "2", "3")],
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
    return render(request, "dashboard/support/leader.html", {
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
    term = support.term_for(today)
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
        "exclusion": support.exclusion_for(school),
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
                data = plan_form.cleaned_data
                with transaction.atomic():
                    if plan is None:
                        run = CurrentRun.get()
                        priority = support.effective_priorities(run, [school.pk]).get(school.pk, "") if run else ""
                        plan = SupportPlan.objects.create(school=school, term=term, priority=priority, run=run)
                    plan.adviser = data["adviser"]
                    plan.supporting_school = data["supporting_school"]
                    plan.notes = data["notes"]
                    plan.save()
                    # Visits still to come go to the adviser now leading them.
                    if data["adviser"]:
                        plan.visits.filter(status=Visit.Status.PLANNED, visitor=None).update(visitor=data["adviser"])
                    _event(school, SupportEvent.Kind.PLAN,
                           "Plan updated: adviser "
                           f"{support._name(data['adviser']) if data['adviser'] else 'none'}, supporting school "
                           f"{data['supporting_school'].name if data['supporting_school'] else 'none'}.",
                           request.user, term)
                messages.success(request, "The support plan was saved.")
                return redirect(request.path)
        elif action == "visit":
            visit_form = ExtraVisitForm(request.POST)
            if visit_form.is_valid():
                with transaction.atomic():
                    if plan is None:
                        run = CurrentRun.get()
                        priority = support.effective_priorities(run, [school.pk]).get(school.pk, "") if run else ""
                        plan = SupportPlan.objects.create(school=school, term=term, priority=priority, run=run)
                    date = visit_form.cleaned_data["planned_date"]
                    Visit.objects.create(plan=plan, school=school, planned_date=date, visitor=plan.adviser)
                    _event(school, SupportEvent.Kind.VISIT_PLANNED, f"Visit planned for {date:%-d %B %Y}.",
                           request.user, term)
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
    return render(request, "dashboard/support/school.html", context)


def helpers_for(school, run):
    """[(red measure snapshot, [willing green schools])] for the school's red measures in the run."""
    if run is None:
        return []
    reds = support.red_measures(run, [school.pk]).get(school.pk, [])
    return [(m, list(support.who_can_help(school, m["code"], run))) for m in reds]


# ---- visits --------------------------------------------------------------------------------------

def visible_visit(user, pk):
    qs = Visit.objects.visible_to(user).select_related("school", "visitor", "recorded_by", "plan__term",
                                                       "plan__adviser")
    if not is_officer(user):
        qs = qs.exclude(status=Visit.Status.CANCELLED)
    return get_object_or_404(qs, pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def visit(request, pk):
    visit = visible_visit(request.user, pk)
    log_support_view(request, visit.school)
    officer = is_officer(request.user)
    if request.method == "POST":
        if not officer:
            raise Http404("Not found")
        step = get_object_or_404(NextStep, pk=request.POST.get("step") or 0, visit=visit)
        if request.POST.get("do") == "step_done" and step.done_on is None:
            step.done_on = timezone.localdate()
            step.save(update_fields=["done_on"])
            _event(visit.school, SupportEvent.Kind.NEXT_STEP, f"Next step done: {step.action[:200]}", request.user,
                   visit.plan.term)
            messages.success(request, "The next step was marked as done.")
        elif request.POST.get("do") == "step_reopen" and step.done_on is not None:
            step.done_on = None
            step.save(update_fields=["done_on"])
            messages.success(request, "The next step was reopened.")
        return redirect(request.path)
    today = timezone.localdate()
    visit.state = visit_state(visit, today)
    steps = list(visit.next_steps.all())
    for s in steps:
        s.overdue = s.done_on is None and s.due_date < today
    labels = support.measure_labels(visit.focus)
    return render(request, "dashboard/support/visit.html", {
        "visit": visit,
        "school": visit.school,
        "officer": officer,
        "steps": steps,
        "focus": [labels[c][0] for c in visit.focus],
    })


def focus_choices(school):
    """The school's measures in the current run, red ones first and marked."""
    run = CurrentRun.get()
    rating = SchoolRating.objects.filter(run=run, school=school).first() if run else None
    rows = list(MeasureRating.objects.filter(school_rating=rating).order_by("id").values_list("measure_code", "band")) \
        if rating else []
    labels = support.measure_labels([c for c, _ in rows])
    red = [(c, f"{labels[c][0]} (red)") for c, b in rows if b == "red"]
    other = [(c, labels[c][0]) for c, b in rows if b != "red"]
    return red + other, {c for c, _ in red}


@officer_required
@require_http_methods(["GET", "POST"])
def visit_record(request, pk):
    visit = visible_visit(request.user, pk)
    if visit.status == Visit.Status.CANCELLED:
        raise Http404("Not found")
    log_support_view(request, visit.school)
    choices, red = focus_choices(visit.school)
    known = {c for c, _ in choices}
    choices += [(c, support.measure_labels([c])[c][0]) for c in visit.focus if c not in known]
    initial = {
        "done_date": visit.done_date or min(timezone.localdate(), visit.planned_date),
        "visitor": visit.visitor_id or request.user.pk,
        "met_with": visit.met_with,
        "focus": visit.focus or sorted(red),
        "findings": visit.findings,
    }
    form = VisitRecordForm(request.POST or None, initial=initial, focus_choices=choices)
    steps = NextStepFormSet(request.POST or None, prefix="steps")
    if request.method == "POST" and form.is_valid() and steps.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            first_time = visit.status != Visit.Status.DONE
            visit.status = Visit.Status.DONE
            visit.done_date = data["done_date"]
            visit.visitor = data["visitor"]
            visit.met_with = data["met_with"]
            visit.focus = data["focus"]
            visit.findings = data["findings"]
            visit.recorded_by = request.user
            visit.recorded_at = timezone.now()
            visit.save()
            added = 0
            for row in steps.cleaned_data:
                if row.get("action"):
                    NextStep.objects.create(visit=visit, action=row["action"].strip(), owner=row["owner"].strip(),
                                            due_date=row["due_date"])
                    added += 1
            _event(visit.school, SupportEvent.Kind.VISIT_DONE,
                   f"{'Note of visit recorded' if first_time else 'Note of visit edited'} for "
                   f"{visit.done_date:%-d %B %Y}" + (f" with {added} next step{'s' if added != 1 else ''}." if added
                                                     else "."),
                   request.user, visit.plan.term)
        messages.success(request, "The note of visit was saved.")
        return redirect("support:visit", pk=visit.pk)
    return render(request, "dashboard/support/visit_record.html", {
        "visit": visit,
        "school": visit.school,
        "form": form,
        "steps": steps,
        "existing_steps": list(visit.next_steps.all()),
        "errors": bool(request.method == "POST"),
    })


# ---- questions -----------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def question(request, pk):
    qs = Question.objects.visible_to(request.user).select_related("school", "term", "closed_by", "run")
    officer = is_officer(request.user)
    if not officer:
        qs = qs.exclude(status=Question.Status.WITHDRAWN)
    question = get_object_or_404(qs, pk=pk)
    log_support_view(request, question.school)
    reply_form = ReplyForm()
    close_form = CloseForm()
    can_reply = not officer and question.is_active
    can_close = officer and question.is_active
    if request.method == "POST":
        action = request.POST.get("do")
        if action == "reply" and can_reply:
            reply_form = ReplyForm(request.POST)
            if reply_form.is_valid():
                with transaction.atomic():
                    Reply.objects.create(question=question, author=request.user,
                                         explanation=reply_form.cleaned_data["explanation"],
                                         action=reply_form.cleaned_data["action"])
                    question.status = Question.Status.ANSWERED
                    question.save(update_fields=["status"])
                    _event(question.school, SupportEvent.Kind.REPLY, "The school replied to the question.",
                           request.user, question.term)
                    transaction.on_commit(lambda: support.notify_reply(question, request.user))
                messages.success(request, "Your reply was sent to the partnership's officers.")
                return redirect(request.path)
        elif action == "close" and can_close:
            close_form = CloseForm(request.POST)
            if close_form.is_valid():
                with transaction.atomic():
                    question.status = Question.Status.CLOSED
                    question.outcome = close_form.cleaned_data["outcome"].strip()
                    question.closed_at = timezone.now()
                    question.closed_by = request.user
                    question.save(update_fields=["status", "outcome", "closed_at", "closed_by"])
                    _event(question.school, SupportEvent.Kind.QUESTION_CLOSED,
                           f"Question closed: {question.outcome[:300]}", request.user, question.term)
                messages.success(request, "The question was closed.")
                return redirect(request.path)
        elif action in ("reply", "close") and question.is_active is False:
            messages.error(request, "This question is closed: nothing more can be added.")
            return redirect(request.path)
        else:
            raise Http404("Not found")
    measures = [dict(m, value_text=support.fmt(m["value"], m.get("unit")),
                     comparator_text=support.fmt(m["comparator"], m.get("unit"))) for m in question.measures]
    return render(request, "dashboard/support/question.html", {
        "question": question,
        "school": question.school,
        "measures": measures,
        "replies": list(question.replies.select_related("author")),
        "officer": officer,
        "reply_form": reply_form,
        "close_form": close_form,
        "can_reply": can_reply,
        "can_close": can_close,
        "year_label": year_label(question.run.year) if question.run_id and question.run.year else "",
        "overdue": question.status == Question.Status.OPEN and question.reply_by
        and question.reply_by < timezone.localdate(),
    })


# ---- peer support --------------------------------------------------------------------------------

def measure_options():
    run = CurrentRun.get()
    codes = list(run.rule_set.engine().rules) if run else []
    labels = support.measure_labels(codes)
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
    return render(request, "dashboard/support/peer.html", {
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
            round_ = PeerReviewRound.objects.create(cluster=cluster, term=support.term_for(data["date"]),
                                                    date=data["date"], notes=data["notes"])
            round_.schools_reviewed.set(data["schools_reviewed"])
        messages.success(request, f"The peer-review round of {cluster.name} was recorded.")
        return redirect("support:peer")
    return render(request, "dashboard/support/peer_round.html", {"cluster": cluster, "form": form})
