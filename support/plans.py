"""This term's support work follows each school's effective priority (the best-fit one when set).

`sync_support_after_run(run)` turns each in-scope school's effective priority into this term's work:
P1 and P2 schools get their visits planned, P3 schools with red measures get a question listing exactly
those measures. A priority change opens or closes work; every change is a SupportEvent. Running it
twice changes nothing. An officer's own changes (adviser, supporting school, an extra visit) go through
`assign_plan` and `plan_visit`, which make the plan when the school has none yet.
"""

import datetime
import logging
from collections import defaultdict

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from dashboard.models import CurrentRun, PriorityOverride, SchoolRating
from pep_portal import bulk
from schools.models import School

from .measures import priority_label, question_text, red_measures
from .models import Question, SupportEvent, SupportExclusion, SupportPlan, SupportSettings, Visit
from .reminders import person_name
from .terms import term_for

logger = logging.getLogger(__name__)
VISIT_PRIORITIES = ("1", "2")


def excluded_school_ids(school_ids=None):
    """Schools out of scope: named ones and every school of an excluded category."""
    categories = set(SupportExclusion.objects.filter(school=None).values_list("category", flat=True))
    named = set(SupportExclusion.objects.exclude(school=None).values_list("school_id", flat=True))
    qs = School.objects.filter(Q(id__in=named) | Q(governance__in=categories))
    if school_ids is not None:
        qs = qs.filter(id__in=school_ids)
    return set(qs.values_list("id", flat=True))


def exclusion_for(school):
    return (
        SupportExclusion.objects.filter(Q(school=school) | Q(school=None, category=school.governance))
        .select_related("created_by", "school")
        .first()
    )


def effective_priorities(run, school_ids=None):
    """{school id: priority} from the run, with an active best-fit priority winning."""
    rows = SchoolRating.objects.filter(run=run)
    if school_ids is not None:
        rows = rows.filter(school_id__in=school_ids)
    out = dict(rows.values_list("school_id", "priority"))
    overrides = PriorityOverride.objects.active()
    if school_ids is not None:
        overrides = overrides.filter(school_id__in=school_ids)
    for school_id, priority in overrides.values_list("school_id", "priority"):
        if school_id in out:
            out[school_id] = priority
    return out


def visit_dates(term, count, today, stagger=0):
    """Weekdays spread over what is left of the term; `stagger` (days) keeps schools off the same day."""
    start = max(term.start, today)
    if start > term.end:
        start = term.end
    span = (term.end - start).days
    dates = []
    for i in range(count):
        day = start + datetime.timedelta(days=span * (i + 1) // (count + 1) + stagger)
        day = min(max(day, start), term.end)
        while day.weekday() >= 5 and day > start:
            day -= datetime.timedelta(days=1)
        dates.append(day)
    return dates


def sync_support_after_run(run, *, today=None, school_ids=None, user=None):
    """This term's support work for the run's schools (all, or school_ids). Idempotent.

    Set-based so a national-scale run (22,000 schools) stays fast: reads are value lists, new plans,
    visits and events are written as multi-row INSERTs, and model instances are made only for
    questions (few). Returns a dict of counts of what changed.
    """
    today = today or timezone.localdate()
    term = term_for(today)
    config = SupportSettings.get()
    targets = {"1": config.p1_visits_per_term, "2": config.p2_visits_per_term}
    counts = defaultdict(int)
    priorities = effective_priorities(run, school_ids)
    if not priorities:
        return {}
    scoped = school_ids is not None

    def only(qs):
        return qs.filter(school_id__in=list(priorities)) if scoped else qs

    excluded = excluded_school_ids(list(priorities) if scoped else None)
    plans = {
        sid: [pid, priority, in_scope]
        for sid, pid, priority, in_scope in only(SupportPlan.objects.filter(term=term))
        .values_list("school_id", "id", "priority", "in_scope")
    }
    visits = defaultdict(list)  # school id -> [[visit id, status, planned date]]
    for sid, vid, status, day in (
        only(Visit.objects.filter(plan__term=term)).exclude(status=Visit.Status.CANCELLED)
        .values_list("school_id", "id", "status", "planned_date")
    ):
        visits[sid].append([vid, status, day])
    questions = defaultdict(list)
    for q in only(Question.objects.filter(term=term)).order_by("opened_at", "id"):
        questions[q.school_id].append(q)
    now = timezone.now()
    stamp = _dt(now)  # adapted once: tens of thousands of rows share it
    term_name = str(term)
    reply_by = today + datetime.timedelta(days=config.question_reply_days)
    events = []  # (school id, kind, text)

    def event(school_id, kind, text):
        events.append((school_id, kind, text))

    cancels = defaultdict(list)  # reason -> visit ids

    def cancel_planned(school_id, reason, keep=0):
        planned = sorted((v for v in visits[school_id] if v[1] == Visit.Status.PLANNED), key=lambda v: v[2])
        done = sum(1 for v in visits[school_id] if v[1] == Visit.Status.DONE)
        for v in planned[max(0, keep - done):]:
            cancels[reason[:300]].append(v[0])
            visits[school_id].remove(v)
            event(school_id, SupportEvent.Kind.VISIT_CANCELLED, f"Visit planned for {v[2]:%-d %B %Y} cancelled: {reason}")
            counts["visits_cancelled"] += 1

    def withdraw(school_id, reason):
        for q in questions[school_id]:
            if q.status == Question.Status.OPEN:
                q.status = Question.Status.WITHDRAWN
                q.outcome = reason
                q.closed_at = now
                q.save(update_fields=["status", "outcome", "closed_at"])
                event(school_id, SupportEvent.Kind.QUESTION_WITHDRAWN, f"Question withdrawn: {reason}")
                counts["questions_withdrawn"] += 1

    reds = {}
    wanting_questions = {sid for sid, p in priorities.items() if p == "3" and sid not in excluded}
    if wanting_questions:
        reds = red_measures(run, wanting_questions if scoped else None, keep=wanting_questions)

    with transaction.atomic():
        new_plans = []
        for school_id, priority in priorities.items():
            plan = plans.get(school_id)
            in_scope = school_id not in excluded
            if plan is None:
                if in_scope and priority:
                    new_plans.append(school_id)
                    # A P3 school with nothing to do gets its plan without an event (no noise in the history).
                    if priority in VISIT_PRIORITIES or reds.get(school_id):
                        event(school_id, SupportEvent.Kind.PLAN,
                              f"Support plan for the {term_name}: {priority_label(priority)} (rating run {run.pk}).")
                continue
            pid, old_priority, old_scope = plan
            changed = {}
            if old_scope != in_scope:
                changed["in_scope"] = in_scope
                event(school_id, SupportEvent.Kind.SCOPE,
                      "Back in scope for support." if in_scope else "Taken out of scope for support.")
            if old_priority != priority:
                event(school_id, SupportEvent.Kind.PRIORITY,
                      f"Priority changed from {priority_label(old_priority)} to {priority_label(priority)}"
                      f" (rating run {run.pk}).")
                changed.update(priority=priority, run=run)
            if changed:
                SupportPlan.objects.filter(pk=pid).update(updated_at=now, **changed)
                plan[1], plan[2] = priority, in_scope
                counts["plans_changed"] += 1
        if new_plans:
            bulk.insert(SupportPlan, ("school", "term", "priority", "run", "notes", "in_scope", "created_at",
                                      "updated_at"),
                        ((sid, term.pk, priorities[sid], run.pk, "", True, stamp, stamp) for sid in new_plans))
            counts["plans"] += len(new_plans)
            fresh = SupportPlan.objects.filter(term=term)
            if scoped:
                fresh = fresh.filter(school_id__in=new_plans)
            for sid, pid in fresh.values_list("school_id", "id"):
                plans.setdefault(sid, [pid, priorities.get(sid), True])

        new_visits = []
        for school_id, priority in priorities.items():
            plan = plans.get(school_id)
            if plan is None:
                continue
            if not plan[2]:
                cancel_planned(school_id, "the school was taken out of scope for support")
                withdraw(school_id, "the school was taken out of scope for support")
                continue
            if priority in VISIT_PRIORITIES:
                target = targets[priority]
                cancel_planned(school_id, f"{priority_label(priority)} needs {target} visit"
                               f"{'' if target == 1 else 's'} this term", keep=target)
                missing = target - len(visits[school_id])
                if missing > 0:
                    for day in visit_dates(term, missing, today, stagger=school_id % 9 - 4):
                        new_visits.append((plan[0], school_id, day))
                        visits[school_id].append([None, Visit.Status.PLANNED, day])
                        event(school_id, SupportEvent.Kind.VISIT_PLANNED,
                              f"Visit planned for {day:%-d %B %Y} ({priority_label(priority)}).")
                # A visit takes the place of a question nobody has answered yet.
                if questions.get(school_id):
                    withdraw(school_id, f"now {priority_label(priority)}: the red areas are taken up in a visit")
            elif priority == "3":
                cancel_planned(school_id, "now Priority 3: no visit is due")
                if reds.get(school_id) or questions.get(school_id):
                    sync_question(school_id, plan[0], reds.get(school_id, []), questions[school_id], run, term,
                                  reply_by, event, counts)
            else:
                cancel_planned(school_id, "the school is not rated")
                withdraw(school_id, "the school is not rated in the latest run")
        for reason, ids in cancels.items():
            for chunk in _chunks(ids):
                Visit.objects.filter(pk__in=chunk).update(status=Visit.Status.CANCELLED, cancelled_reason=reason)
        if new_visits:
            # Planned visits go to the plan's adviser when one is assigned.
            advisers = dict(SupportPlan.objects.filter(term=term).exclude(adviser=None)
                            .values_list("id", "adviser_id")) if plans else {}
            bulk.insert(Visit, ("plan", "school", "status", "planned_date", "visitor", "met_with", "focus", "findings",
                                "cancelled_reason", "created_at"),
                        ((pid, sid, Visit.Status.PLANNED, _d(day), advisers.get(pid), "", "[]", "", "", stamp)
                         for pid, sid, day in new_visits))
            counts["visits_planned"] += len(new_visits)
        if events:
            user_id = user.pk if user is not None else None
            bulk.insert(SupportEvent, ("school", "term", "kind", "text", "user", "run", "at"),
                        ((sid, term.pk, kind, text, user_id, run.pk, stamp) for sid, kind, text in events))
    return dict(counts)


def _dt(value):
    return connection.ops.adapt_datetimefield_value(value)


def _d(value):
    return connection.ops.adapt_datefield_value(value)


def _chunks(items, size=500):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def sync_question(school_id, plan_id, measures, existing, run, term, reply_by, event, counts):
    """A P3 school with red measures has one active question listing exactly those measures."""
    codes = sorted(m["code"] for m in measures)
    active = [q for q in existing if q.is_active]
    if not measures:
        for q in active:
            if q.status == Question.Status.OPEN:
                q.status = Question.Status.WITHDRAWN
                q.outcome = f"No measure is red in rating run {run.pk}."
                q.closed_at = timezone.now()
                q.save(update_fields=["status", "outcome", "closed_at"])
                event(school_id, SupportEvent.Kind.QUESTION_WITHDRAWN, "Question withdrawn: no measure is red now.")
                counts["questions_withdrawn"] += 1
        return
    if any(q.codes == codes for q in existing if q.status != Question.Status.WITHDRAWN):
        return  # already asked this term (open, answered or closed)
    school = School.objects.only("id", "name").get(pk=school_id)
    open_unanswered = [q for q in active if q.status == Question.Status.OPEN]
    if open_unanswered:
        q = open_unanswered[-1]
        q.measures, q.run = measures, run
        q.text = question_text(school, run, measures, q.reply_by)
        q.save(update_fields=["measures", "run", "text"])
        event(school_id, SupportEvent.Kind.QUESTION_UPDATED,
              "Question updated to the red measures of rating run "
              f"{run.pk}: {', '.join(m['label'] for m in measures)}.")
        counts["questions_updated"] += 1
        return
    q = Question.objects.create(
        school_id=school_id, term=term, plan_id=plan_id, run=run, measures=measures,
        text=question_text(school, run, measures, reply_by), reply_by=reply_by,
    )
    existing.append(q)
    event(school_id, SupportEvent.Kind.QUESTION,
          f"Question asked about {len(measures)} red measure{'s' if len(measures) != 1 else ''}: "
          f"{', '.join(m['label'] for m in measures)}.")
    counts["questions"] += 1


def sync_support_safely(run, **kwargs):
    """The step run_ratings calls after the switch: its failure is logged, never undoes the run."""
    try:
        with transaction.atomic():
            return sync_support_after_run(run, **kwargs)
    except Exception:
        logger.exception("support plans could not be brought up to date after rating run %s", getattr(run, "pk", None))
        return None


def sync_school(school, user=None):
    """After a best-fit priority is set or removed: the school's work follows it at once."""
    run = CurrentRun.get()
    if run is None:
        return None
    return sync_support_safely(run, school_ids=[school.pk], user=user)


# ---- an officer's changes to a plan --------------------------------------------------------------

def plan_for(school, term):
    """The school's plan this term, made at its effective priority in the current run when it has none."""
    plan = SupportPlan.objects.filter(school=school, term=term).select_related("adviser").first()
    if plan is not None:
        return plan
    run = CurrentRun.get()
    priority = effective_priorities(run, [school.pk]).get(school.pk, "") if run else ""
    return SupportPlan.objects.create(school=school, term=term, priority=priority, run=run)


def assign_plan(school, term, user, *, adviser, supporting_school, notes):
    """Sets who leads and who supports the school's work this term; visits still to come go to the adviser."""
    with transaction.atomic():
        plan = plan_for(school, term)
        plan.adviser, plan.supporting_school, plan.notes = adviser, supporting_school, notes
        plan.save()
        if adviser:
            plan.visits.filter(status=Visit.Status.PLANNED, visitor=None).update(visitor=adviser)
        SupportEvent.objects.create(
            school=school, term=term, user=user, kind=SupportEvent.Kind.PLAN,
            text=f"Plan updated: adviser {person_name(adviser) if adviser else 'none'}, supporting school "
                 f"{supporting_school.name if supporting_school else 'none'}.",
        )
    return plan


def plan_visit(school, term, date, user):
    """An extra visit this term beside the ones the priority brings, given to the plan's adviser."""
    with transaction.atomic():
        plan = plan_for(school, term)
        visit = Visit.objects.create(plan=plan, school=school, planned_date=date, visitor=plan.adviser)
        SupportEvent.objects.create(school=school, term=term, user=user, kind=SupportEvent.Kind.VISIT_PLANNED,
                                    text=f"Visit planned for {date:%-d %B %Y}.")
    return visit
