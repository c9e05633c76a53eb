"""School improvement support as plain functions: terms, scope, this term's work after a run, reminders.

- Terms (PRODUCT.md): autumn 1 September to 31 December, spring 1 January to Easter Sunday, summer
  Easter Monday to 31 August. Generated per academic year on first use; an admin may move the dates.
- `sync_support_after_run(run)` turns each in-scope school's effective priority (best fit when set)
  into this term's work: P1 and P2 schools get their visits planned, P3 schools with red measures get
  a question listing exactly those measures. A priority change opens or closes work; every change is
  a SupportEvent. Running it twice changes nothing.
- `send_reminders()` emails overdue items (the nightly task and `manage.py send_support_reminders`).
"""

import datetime
import logging
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from pep_portal import bulk, partnership
from pep_portal.roles import Role
from schools.models import Measure, School
from schools.numbers import figure_with_unit
from schools.years import academic_year_of, year_label

from . import ratings
from .models import Band, CurrentRun, MeasureRating, PriorityOverride, SchoolRating
from .support_models import (
    NextStep,
    Question,
    SupportEvent,
    SupportExclusion,
    SupportPlan,
    SupportSettings,
    Term,
    TermName,
    Visit,
)

logger = logging.getLogger(__name__)
VISIT_PRIORITIES = ("1", "2")


# ---- terms ---------------------------------------------------------------------------------------

def easter(year):
    """Easter Sunday (Gregorian) by the anonymous Gregorian algorithm (Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 - the algorithm's own name
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)



def default_terms(academic_year):
    """[(name, start, end)] for an academic year (2025 = 2025/26)."""
    spring_year = academic_year + 1
    sunday = easter(spring_year)
    return [
        (TermName.AUTUMN, datetime.date(academic_year, 9, 1), datetime.date(academic_year, 12, 31)),
        (TermName.SPRING, datetime.date(spring_year, 1, 1), sunday),
        (TermName.SUMMER, sunday + datetime.timedelta(days=1), datetime.date(spring_year, 8, 31)),
    ]


def ensure_terms(academic_year):
    """The year's terms, made with the default dates when missing (dates an admin moved are kept)."""
    for name, start, end in default_terms(academic_year):
        Term.objects.get_or_create(academic_year=academic_year, name=name, defaults={"start": start, "end": end})
    return list(Term.objects.filter(academic_year=academic_year).order_by("start"))


def term_for(date=None):
    """The term a date falls in. If an admin's edits left a gap, the latest term begun by then."""
    date = date or timezone.localdate()
    term = Term.objects.containing(date)
    if term is not None:
        return term
    ensure_terms(academic_year_of(date))
    return (
        Term.objects.containing(date)
        or Term.objects.filter(start__lte=date).order_by("-start").first()
        or Term.objects.order_by("start").first()
    )


# ---- scope and priorities ------------------------------------------------------------------------

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


def measure_labels(codes):
    rows = dict(Measure.objects.filter(code__in=list(codes)).values_list("code", "short_label"))
    units = dict(Measure.objects.filter(code__in=list(codes)).values_list("code", "unit"))
    out = {}
    for code in codes:
        label, unit = rows.get(code) or "", units.get(code) or ""
        if not label or not unit:
            try:
                info = ratings.measure_info(code)
                label, unit = label or info.label, unit or info.unit
            except ratings.UnknownMeasure:
                label = label or code
        out[code] = (label, unit)
    return out


def red_measures(run, school_ids, keep=None):
    """{school id: [snapshot dict]} of each school's red measures in the run, in rule-set order.

    school_ids None: every school of the run (keep: only these, filtered here rather than in SQL)."""
    qs = MeasureRating.objects.filter(school_rating__run=run, band=Band.RED)
    if school_ids is not None:
        qs = qs.filter(school_rating__school_id__in=list(school_ids))
    rows = [
        r for r in qs.order_by("school_rating_id", "id").values_list(
            "school_rating__school_id", "measure_code", "value", "comparator", "comparator_name", "core")
        if keep is None or r[0] in keep
    ]
    labels = measure_labels({r[1] for r in rows})
    out = defaultdict(list)
    for school_id, code, value, comparator, comparator_name, core in rows:
        label, unit = labels[code]
        out[school_id].append({
            "code": code, "label": label, "unit": unit, "value": value, "comparator": comparator,
            "comparator_name": comparator_name, "core": core,
        })
    return out


def fmt(value, unit=""):
    if value is None:
        return "no value"
    return figure_with_unit(value, unit)


def describe_measure(m):
    return f"{m['label']}: {fmt(m['value'], m['unit'])} against {fmt(m['comparator'], m['unit'])} {m['comparator_name']}".strip()


def question_text(school, run, measures, reply_by):
    year = year_label(run.year) if run and run.year else "the latest year"
    lines = [
        f"The partnership's dashboard for {year} shows {school.name} as red on "
        f"{'this measure' if len(measures) == 1 else 'these measures'}:",
        *[f"- {describe_measure(m)}" for m in measures],
        "",
        "Please explain these figures, or tell us what the school is doing to address them"
        + (f", by {reply_by:%-d %B %Y}." if reply_by else "."),
    ]
    return "\n".join(lines)


def priority_label(p):
    return f"Priority {p}" if p else "not rated"


# ---- after a run ---------------------------------------------------------------------------------

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


# ---- what officers and leaders see ---------------------------------------------------------------

# Reminders stop a month after the item's term ended: older items stay on the pages, not in inboxes.
REMIND_AFTER_TERM_DAYS = 31


def _recent(today):
    return today - datetime.timedelta(days=REMIND_AFTER_TERM_DAYS)


def overdue_visits(today=None):
    today = today or timezone.localdate()
    return (Visit.objects.overdue(today).filter(plan__term__end__gte=_recent(today))
            .select_related("school", "visitor", "plan__adviser"))


def overdue_next_steps(today=None):
    today = today or timezone.localdate()
    return NextStep.objects.overdue(today).filter(due_date__gte=_recent(today) - datetime.timedelta(days=365)) \
        .select_related("visit__school")


def overdue_questions(today=None):
    today = today or timezone.localdate()
    return Question.objects.filter(status=Question.Status.OPEN, reply_by__lt=today,
                                   term__end__gte=_recent(today)).select_related("school", "term")


def who_can_help(school, code, run=None):
    """Partnership schools green on this measure in the current run and willing to support (in it or in general)."""
    from .support_models import SupportOffer

    run = run or CurrentRun.get()
    if run is None:
        return School.objects.none()
    green = MeasureRating.objects.filter(
        school_rating__run=run, measure_code=code, band=Band.GREEN
    ).values("school_rating__school_id")
    willing = SupportOffer.objects.filter(measure_code__in=[code, ""]).values("school_id")
    # Schools of the same cluster first: they already review each other.
    clusters = list(school.clusters.values_list("id", flat=True))
    return (
        School.objects.partnership().open().filter(id__in=green).filter(id__in=willing)
        .exclude(id=school.id)
        .annotate(same_cluster=Count("clusters", filter=Q(clusters__in=clusters), distinct=True))
        .order_by("-same_cluster", "name")
    )


# ---- reminders -----------------------------------------------------------------------------------

def officers_to_email():
    User = get_user_model()
    return list(
        User.objects.filter(is_active=True, groups__name=Role.LA_OFFICER).exclude(email="").distinct().order_by("email")
    )


def leaders_of(school):
    User = get_user_model()
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(led_schools=school) | Q(led_trusts__school_links__school=school, led_trusts__school_links__left_on=None))
        .exclude(email="").distinct().order_by("email")
    )


def send_reminders(today=None, stdout=None):
    """Email officers a digest of overdue items, and schools about questions past their reply date."""
    today = today or timezone.localdate()
    config = SupportSettings.get()
    visits = list(overdue_visits(today))
    steps = list(overdue_next_steps(today))
    questions = list(overdue_questions(today))
    site = settings.SITE_ROOT
    sent = {"officer_emails": 0, "school_emails": 0}
    if visits or steps or questions:
        lines = [f"Support items overdue on {today:%-d %B %Y}:", ""]
        if visits:
            lines.append(f"Visits past their planned date ({len(visits)}):")
            lines += [f"- {v.school.name}: planned for {v.planned_date:%-d %B %Y}"
                      f"{', ' + _name(v.visitor) if v.visitor_id else ''}" for v in visits]
            lines.append("")
        if steps:
            lines.append(f"Next steps past their due date ({len(steps)}):")
            lines += [f"- {s.visit.school.name}: {s.action} ({s.owner}, due {s.due_date:%-d %B %Y})" for s in steps]
            lines.append("")
        if questions:
            lines.append(f"Questions not answered by their reply date ({len(questions)}):")
            lines += [f"- {q.school.name}: reply was due by {q.reply_by:%-d %B %Y}" for q in questions]
            lines.append("")
        lines.append(f"The support page: {site}/dashboard/support/")
        body = "\n".join(lines)
        total = len(visits) + len(steps) + len(questions)
        subject = f"[{partnership.current().name}] Support: {total} overdue item{'s' if total != 1 else ''}"
        for user in officers_to_email():
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
            sent["officer_emails"] += 1
    interval = datetime.timedelta(days=config.reminder_interval_days)
    now = timezone.now()
    for q in questions:
        if q.last_reminded_at and now - q.last_reminded_at < interval:
            continue
        recipients = [u.email for u in leaders_of(q.school)]
        if not recipients:
            continue
        body = "\n".join([
            f"The partnership asked {q.school.name} a question on {q.opened_at:%-d %B %Y} and has not had a reply.",
            f"The reply was due by {q.reply_by:%-d %B %Y}.",
            "",
            f"Please reply in the portal: {site}/dashboard/support/questions/{q.pk}/",
        ])
        send_mail(f"[{partnership.current().name}] A question is waiting for your reply", body,
                  settings.DEFAULT_FROM_EMAIL, recipients)
        q.last_reminded_at = now
        q.save(update_fields=["last_reminded_at"])
        SupportEvent.objects.create(school=q.school, term=q.term, kind=SupportEvent.Kind.REMINDER,
                                    text=f"Reminder sent to {len(recipients)} leader{'s' if len(recipients) != 1 else ''}.")
        sent["school_emails"] += 1
    result = {"visits": len(visits), "next_steps": len(steps), "questions": len(questions), **sent}
    if stdout is not None:
        stdout.write(
            f"support reminders: {result['visits']} visits, {result['next_steps']} next steps and "
            f"{result['questions']} questions overdue; {result['officer_emails']} officer emails, "
            f"{result['school_emails']} school emails sent"
        )
    return result


def _name(user):
    return user.get_full_name() or user.email or user.username


def notify_reply(question, author):
    """Tell the school's adviser (else the LA officers) that a school replied: the question waits to be closed."""
    plan = question.plan
    recipients = [plan.adviser.email] if plan and plan.adviser_id and plan.adviser.email else [
        u.email for u in officers_to_email()]
    if not recipients:
        return 0
    site = settings.SITE_ROOT
    body = "\n".join([
        f"{_name(author)} replied for {question.school.name} to the question of {question.opened_at:%-d %B %Y}.",
        "",
        f"Read the reply and close the question: {site}/dashboard/support/questions/{question.pk}/",
    ])
    send_mail(f"[{partnership.current().name}] {question.school.name} replied to a question", body,
              settings.DEFAULT_FROM_EMAIL, recipients)
    return len(recipients)
