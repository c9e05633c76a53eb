"""Support records behind the overview: a visit and its note with next steps, and a question with the
school's replies and the officer's close. Leaders read their own schools' records; officers write them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from dashboard.access import log_support_view, officer_required
from dashboard.models import CurrentRun, MeasureRating, SchoolRating
from pep_portal.roles import is_officer
from schools.years import year_label

from . import measures, reminders
from .forms import CloseForm, NextStepFormSet, ReplyForm, VisitRecordForm
from .models import NextStep, Question, Reply, SupportEvent, Visit


def visit_state(visit, today):
    if visit.status == Visit.Status.DONE:
        return "Done"
    if visit.status == Visit.Status.CANCELLED:
        return "Cancelled"
    return "Overdue" if visit.planned_date < today else "Due"


def _event(school, kind, text, user, term=None):
    SupportEvent.objects.create(school=school, kind=kind, text=text, user=user, term=term)


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
    labels = measures.measure_labels(visit.focus)
    return render(request, "support/visit.html", {
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
    labels = measures.measure_labels([c for c, _ in rows])
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
    choices += [(c, measures.measure_labels([c])[c][0]) for c in visit.focus if c not in known]
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
    return render(request, "support/visit_record.html", {
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
                    transaction.on_commit(lambda: reminders.notify_reply(question, request.user))
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
    shown = [dict(m, value_text=measures.fmt(m["value"], m.get("unit")),
                 comparator_text=measures.fmt(m["comparator"], m.get("unit"))) for m in question.measures]
    return render(request, "support/question.html", {
        "question": question,
        "school": question.school,
        "measures": shown,
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
