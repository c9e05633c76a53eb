"""The progress report's public sections, one function each: the database read into the report model.

Each function takes a Period and returns a document.Section, with every figure already text and
every part saying where its figures come from and as at when. SECTIONS lists them in the order the
report prints them: a new section is one more function appended there. Nothing here names a school:
counts only, withheld below three schools. Events and bulletins are named (their titles and subjects
are public); the people who booked or received them never are, only counted.
"""

import datetime

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from communications.models import Bulletin, Delivery
from dashboard import queries
from dashboard.models import RatingRun
from events.models import BookingStatus, Event
from governance.models import Action, ActionStatus, Attendance, AttendanceStatus, Meeting, MeetingStatus
from schools.years import year_label
from strategy.models import Strategy, Target
from strategy.presenters import present
from support.models import Question, Term, Visit

from .chart import BarChart
from .document import (
    UNKNOWN,
    Part,
    Section,
    Table,
    change_text,
    count_text,
    percent,
    suppress_counts,
    trend,
)
from .period import long_date

PRIORITIES = (("1", "Priority 1"), ("2", "Priority 2"), ("3", "Priority 3"), ("", "Not rated"))


def when(moment):
    moment = timezone.localtime(moment)
    return f"{long_date(moment.date())} at {moment:%H:%M}"


def day_bounds(period):
    """The period as aware datetimes: from the start of its first day to the end of its last."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(period.start, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(period.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return start, end


# ---- strategy targets -------------------------------------------------------------------------------


def target_source(target):
    """Where a target's figures come from, in words."""
    Source = Target.Source
    measure = (target.measure.short_label or target.measure.label) if target.measure_id else ""
    if target.source == Source.LA:
        codes = ", ".join(settings.PARTNERSHIP_LA_CODES)
        return f"{measure}: the DfE's published figures for local authority {codes}, against {target.comparator_label}"
    if target.source == Source.SCHOOLS:
        return f"{measure}: the partnership's schools' own figures, pupil-weighted"
    if target.source == Source.GOOD_OR_BETTER:
        return "Ofsted outcomes of the partnership's schools, as the register (GIAS) records them"
    series = target.manual_series.name if target.manual_series_id else "no series chosen"
    return f"figures entered by an admin ({series})"


def trend_words(target, result):
    if result is None:
        return UNKNOWN
    word, year = trend(result.rows, result.measured, target.lower_is_better)
    return word if year is None else f"{word} since {year_label(year)}"


def target_row(target):
    view = present(target)
    latest = f"{view.latest} ({view.latest_year})" if view.latest_year else view.latest
    trend_text = trend_words(target, getattr(target, "result", None))
    return (target.title, view.status_label, trend_text, latest, view.goal, view.baseline)


def strategy_targets(period):
    strategy = Strategy.objects.current()
    if strategy is None:
        part = Part(heading="Targets", source="The strategy pages", as_at=when(timezone.now()),
                    paragraphs=("No strategy has been published yet, so there are no targets to report.",))
        return Section(key="targets", heading="Strategy targets", parts=(part,))
    targets = list(
        Target.objects.filter(strategy=strategy).select_related("measure", "manual_series", "result", "objective")
    )
    rows = tuple(target_row(t) for t in targets)
    results = [t.result for t in targets if getattr(t, "result", None) is not None]
    statuses = [row[1] for row in rows]
    summary = ", ".join(f"{statuses.count(s)} {s.lower()}" for s in ("Met", "On track", "Off track", "No data"))
    table = Table(
        caption=f"Targets of {strategy.title}: status and trend",
        columns=("Target", "Status", "Trend", "Latest figure", "Goal", "Baseline"),
        rows=rows,
    )
    sources = tuple(f"{t.title}: {target_source(t)}." for t in targets)
    as_at = when(max(r.computed_at for r in results)) if results else "not worked out yet"
    part = Part(
        heading="Status and trend of each target",
        source="Each target's figures, as the strategy scorecard (/strategy/) shows them; the trend compares "
        "the latest year's figure with the year before (for gap targets, the gap to the comparator)",
        as_at=f"progress last worked out {as_at}",
        paragraphs=(f"{len(rows)} targets: {summary}.",),
        table=table,
        empty="The strategy has no targets yet.",
    )
    notes = Part(heading="Where each target's figures come from", source="The targets' definitions",
                 as_at=as_at, paragraphs=sources)
    intro = (f"Progress against the targets of {strategy.title} ({strategy.period}), from the partnership's data.",)
    return Section(key="targets", heading="Strategy targets", parts=(part, notes), intro=intro)


# ---- schools by priority ----------------------------------------------------------------------------


def run_finished_by(moment):
    """The last rating run that had finished by `moment` (the ratings every page showed then)."""
    return (
        RatingRun.objects.select_related("rule_set")
        .filter(status=RatingRun.Status.DONE, finished_at__lt=moment)
        .order_by("-finished_at", "-id")
        .first()
    )


def runs_for(period):
    start, end = day_bounds(period)
    return run_finished_by(start), run_finished_by(end)


def run_words(run):
    if run is None:
        return "no rating run"
    return f"rating run {run.pk} ({year_label(run.year)} data, {run.rule_set.name}), finished {when(run.finished_at)}"


def priority_table(period, before_run, after_run):
    before = suppress_counts(queries.priority_counts(before_run) if before_run else {})
    after = suppress_counts(queries.priority_counts(after_run) if after_run else {})
    rows = []
    for code, label in PRIORITIES:
        b, a = before.get(code, 0), after.get(code, 0)
        rows.append((label, count_text(b) if before_run else "no run", count_text(a) if after_run else "no run",
                     change_text(b, a) if before_run and after_run else "not known"))
    total_b = sum(queries.priority_counts(before_run).values()) if before_run else None
    total_a = sum(queries.priority_counts(after_run).values()) if after_run else None
    rows.append(("All schools rated", count_text(total_b) if before_run else "no run",
                 count_text(total_a) if after_run else "no run",
                 change_text(total_b, total_a) if before_run and after_run else "not known"))
    return Table(
        caption="Schools by priority at the start and end of the period",
        columns=("Priority", f"At {long_date(period.start)}", f"At {long_date(period.end)}", "Change"),
        rows=tuple(rows),
        numeric=frozenset({1, 2}),
    )


def priorities(period):
    before_run, after_run = runs_for(period)
    part = Part(
        heading="Counts at the start and end of the period",
        source=f"At the start: {run_words(before_run)}. At the end: {run_words(after_run)}. Priorities as the "
        "rules computed them (as the dashboard overview counts them). Counts of one or two schools are "
        "withheld, with the next smallest count, so that no school can be identified",
        as_at=f"{long_date(period.start)} and {long_date(period.end)}",
        table=priority_table(period, before_run, after_run),
    )
    intro = ("Priority 1 schools get the most support, priority 3 the least. Named schools, their reasons and "
             "best-fit priorities are in the confidential appendix.",)
    return Section(key="priorities", heading="Schools by priority", parts=(part,), intro=intro)


# ---- support delivered ------------------------------------------------------------------------------


def support_figures(terms):
    """[(term name, visits planned, visits done, questions asked, questions answered)] as numbers."""
    visits = {
        row["plan__term"]: row
        for row in Visit.objects.filter(plan__term__in=terms)
        .exclude(status=Visit.Status.CANCELLED)
        .values("plan__term")
        .annotate(planned=Count("id"), done=Count("id", filter=Q(status=Visit.Status.DONE)))
    }
    asked = dict(Question.objects.filter(term__in=terms).values("term").annotate(n=Count("id")).values_list("term", "n"))
    answered = dict(
        Question.objects.filter(term__in=terms, replies__isnull=False)
        .values("term").annotate(n=Count("id", distinct=True)).values_list("term", "n")
    )
    return [
        (str(t), visits.get(t.pk, {}).get("planned", 0), visits.get(t.pk, {}).get("done", 0), asked.get(t.pk, 0),
         answered.get(t.pk, 0))
        for t in terms
    ]


def support_rows(figures):
    if len(figures) > 1:
        figures = figures + [("All these terms", *(sum(f[i] for f in figures) for i in range(1, 5)))]
    return tuple(
        (name, f"{planned:,}", f"{done:,}", percent(done, planned), f"{q:,}", f"{a:,}")
        for name, planned, done, q, a in figures
    )


def support_delivered(period):
    terms = list(Term.objects.filter(start__lte=period.end, end__gte=period.start).order_by("start"))
    figures = support_figures(terms)
    table = Table(
        caption="Support visits and questions by term",
        columns=("Term", "Visits planned", "Visits done", "Done against planned", "Questions asked",
                 "Questions answered"),
        rows=support_rows(figures),
        numeric=frozenset({1, 2, 3, 4, 5}),
    )
    chart = BarChart(
        title="support visits planned and done by term",
        categories=tuple(f[0] for f in figures),
        series=(("Visits planned", tuple(f[1] for f in figures)), ("Visits done", tuple(f[2] for f in figures))),
    ) if figures else None
    part = Part(
        heading="Visits and questions",
        source="Visits and questions recorded on the support pages (/dashboard/support/), for each whole term "
        "that overlaps the period. Cancelled visits are not counted as planned; a question counts as "
        "answered once the school has replied",
        as_at=when(timezone.now()),
        table=table,
        chart=chart,
        empty="No school term overlaps the period.",
    )
    intro = ("Priority 1 and 2 schools are offered support visits each term; priority 3 schools are asked about "
             "their red areas.",)
    return Section(key="support", heading="Support delivered", parts=(part,), intro=intro)


# ---- governance -------------------------------------------------------------------------------------

OPEN_ACTIONS = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


def governance_figures(period, now):
    start, end = day_bounds(period)
    meetings = Meeting.objects.visible().filter(starts_at__gte=start, starts_at__lt=min(end, now))
    held = meetings.exclude(status=MeetingStatus.CANCELLED)
    by_group = {}

    def group(row_group, name):
        return by_group.setdefault(row_group, {"name": name, "held": 0, "present": 0, "recorded": 0,
                                               "open": 0, "overdue": 0})

    for row in held.values("group", "group__name").annotate(n=Count("id")):
        group(row["group"], row["group__name"])["held"] = row["n"]
    for row in Attendance.objects.filter(meeting__in=held).values("meeting__group", "meeting__group__name").annotate(
        n=Count("id"), present=Count("id", filter=Q(status=AttendanceStatus.PRESENT))
    ):
        g = group(row["meeting__group"], row["meeting__group__name"])
        g["recorded"], g["present"] = row["n"], row["present"]
    today = timezone.localdate(now)
    for row in Action.objects.filter(status__in=OPEN_ACTIONS, meeting__in=Meeting.objects.visible()).values(
        "meeting__group", "meeting__group__name"
    ).annotate(n=Count("id"), overdue=Count("id", filter=Q(due_on__lt=today))):
        g = group(row["meeting__group"], row["meeting__group__name"])
        g["open"], g["overdue"] = row["n"], row["overdue"]
    return sorted(by_group.values(), key=lambda g: g["name"])


def governance_row(name, g):
    attendance = percent(g["present"], g["recorded"])
    if g["recorded"]:
        attendance += f" ({g['present']:,} of {g['recorded']:,})"
    return (name, f"{g['held']:,}", attendance, f"{g['open']:,}", f"{g['overdue']:,}")


def governance(period):
    now = timezone.now()
    groups = governance_figures(period, now)
    rows = [governance_row(g["name"], g) for g in groups]
    if len(groups) > 1:
        total = {k: sum(g[k] for g in groups) for k in ("held", "present", "recorded", "open", "overdue")}
        rows.append(governance_row("All groups", total))
    table = Table(
        caption="Meetings, attendance and actions by group",
        columns=("Group", "Meetings held", "Attendance", "Actions open", "Actions overdue"),
        rows=tuple(rows),
        numeric=frozenset({1, 3, 4}),
    )
    part = Part(
        heading="Meetings, attendance and actions",
        source="The governance pages (/governance/): meetings in the period that were not cancelled; attendance "
        "as the minutes record it (present against everyone listed); actions still open or in progress, "
        "overdue when past their due date, counted whatever meeting set them (including exempt items, "
        "counted but not described)",
        as_at=f"meetings to {long_date(min(period.end, timezone.localdate(now)))}; actions as at {when(now)}",
        table=table,
        empty="No meetings were held in the period and no actions are open.",
    )
    return Section(key="governance", heading="Governance", parts=(part,))


# ---- events and bulletins -----------------------------------------------------------------------------


def total_row(label, rows, first_figure):
    """A total of the numeric columns from `first_figure` on (the columns before it left blank)."""
    sums = [sum(int(row[i].replace(",", "")) for row in rows) for i in range(first_figure, len(rows[0]))]
    return (label, *([""] * (first_figure - 1)), *(f"{n:,}" for n in sums))


def events_held(period, now):
    start, end = day_bounds(period)
    events = (
        Event.objects.public().filter(starts_at__gte=start, starts_at__lt=min(end, now)).order_by("starts_at", "pk")
        .annotate(confirmed=Count("bookings", filter=Q(bookings__status=BookingStatus.CONFIRMED)),
                  attended=Count("bookings", filter=Q(bookings__attended=True)))
    )
    rows = tuple((e.title, long_date(timezone.localtime(e.starts_at).date()), f"{e.capacity:,}", f"{e.confirmed:,}",
                  f"{e.attended:,}") for e in events)
    if len(rows) > 1:
        rows += (total_row("All events held", rows, 2),)
    table = Table(caption="Events held in the period: places, bookings confirmed and attendance",
                  columns=("Event", "Held on", "Places", "Bookings confirmed", "Attended"), rows=rows,
                  numeric=frozenset({2, 3, 4}))
    return Part(
        heading="Events held and booked",
        source="The events pages (/events/): published events that began in the period, with the bookings "
        "confirmed and the attendance editors marked on each booking list. Bookings are deleted a year after "
        "an event, so older events show none",
        as_at=when(now), table=table, empty="No events were held in the period.",
    )


def bulletin_results(period, now):
    start, end = day_bounds(period)
    sent = Bulletin.objects.filter(status=Bulletin.Status.SENT, sent_at__gte=start, sent_at__lt=end).annotate(
        delivered=Count("deliveries", filter=Q(deliveries__state=Delivery.State.SENT)),
        failed=Count("deliveries", filter=Q(deliveries__state=Delivery.State.FAILED)),
        other=Count("deliveries", filter=Q(deliveries__state__in=(Delivery.State.SKIPPED, Delivery.State.INTERRUPTED))),
    ).order_by("sent_at", "pk")
    rows = tuple((b.subject, long_date(timezone.localtime(b.sent_at).date()), f"{b.recipients:,}", f"{b.delivered:,}",
                  f"{b.failed:,}", f"{b.other:,}") for b in sent)
    if len(rows) > 1:
        rows += (total_row("All bulletins sent", rows, 2),)
    table = Table(caption="Bulletins sent in the period: recipients and results",
                  columns=("Bulletin", "Sent on", "Recipients", "Sent", "Failed", "Not sent or interrupted"),
                  rows=rows, numeric=frozenset({2, 3, 4, 5}))
    return Part(
        heading="Bulletins sent",
        source="Each bulletin's sending report (/bulletin/manage/): bulletins whose sending finished in the "
        "period, the subscribers it was addressed to, and each recipient's recorded result (not sent: they "
        "unsubscribed after it was queued; interrupted: a worker stopped mid-send and it is never sent twice)",
        as_at=when(now), table=table, empty="No bulletins were sent in the period.",
    )


def events_and_bulletins(period):
    now = timezone.now()
    return Section(key="communications", heading="Events and bulletins",
                   parts=(events_held(period, now), bulletin_results(period, now)))


SECTIONS = (strategy_targets, priorities, support_delivered, governance, events_and_bulletins)
