"""The nightly refresh as plain functions: the Celery tasks, the command and the admin page call these.

One refresh: recompute the figures the strategy targets use (LA and England rows, partnership
aggregates), run the ratings for the current year with the live rule set (`runs.run_ratings`, which
writes beside the current run and switches the pointer in one transaction), then email LA officers
the schools whose priority changed. Every attempt is a RefreshRun row.

Safety, in the order the code applies it:
- a lock (PostgreSQL advisory lock; a lock row elsewhere) so two refreshes never overlap; the loser
  is recorded as "Skipped: already running";
- a key per run asked for (the scheduled night, or one "run now" press): a second delivery of a key
  that is done is recorded as skipped, so the same run twice gives one result and one done entry;
- each step remembers it finished (rating_run, emailed_at), so a retry after a crash does not rate
  twice or email twice;
- while holding the lock, a row still "running" can only be a run whose worker died: it is marked
  interrupted and resumed (by the redelivered message or by the watchdog);
- the watchdog notices a night with no run (beat or broker down) and runs it.
"""

import datetime as dt
import logging
import os
import threading
import time
import uuid
from contextlib import contextmanager
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db import InterfaceError as DbInterfaceError
from django.db import OperationalError as DbOperationalError
from django.db.models import Q
from django.utils import timezone

from pep_portal import partnership

from .refresh_models import RefreshLock, RefreshRun

logger = logging.getLogger(__name__)

Status = RefreshRun.Status
Trigger = RefreshRun.Trigger

LOCK_NAME = "nightly-refresh"
REQUEST_LOCK_NAME = "run-now-request"  # serialises "run now" presses (see _one_active_request)
# pg_try_advisory_lock takes a bigint; this one is "PEPR" in ASCII, reserved for the refresh.
ADVISORY_LOCK_KEY = 0x50455052
NIGHTLY_TASK_NAME = "nightly refresh"
WATCHDOG_TASK_NAME = "refresh watchdog"
DEFAULT_NIGHTLY = (2, 0)  # 02:00 Europe/London
# The watchdog leaves the scheduled run this long to start before calling the night missed.
GRACE = dt.timedelta(minutes=10)
CLOCK_SKEW = dt.timedelta(minutes=2)
# A run interrupted this many times is not started again (a run the hard time limit kills would loop).
MAX_ATTEMPTS = 3
GIVEN_UP = "Given up"


def _transient_errors():
    """Errors worth retrying with back-off: the database or the broker did not answer."""
    errors = [DbOperationalError, DbInterfaceError]
    try:
        import redis.exceptions

        errors += [redis.exceptions.ConnectionError, redis.exceptions.TimeoutError]
    except ImportError:  # pragma: no cover - redis is a dependency, but the refresh works without it
        pass
    try:
        import kombu.exceptions

        errors.append(kombu.exceptions.OperationalError)
    except ImportError:  # pragma: no cover
        pass
    return tuple(errors)


TRANSIENT_ERRORS = _transient_errors()


def _broker_errors():
    errors = [ConnectionError, TimeoutError, OSError]
    try:
        import kombu.exceptions

        errors.append(kombu.exceptions.OperationalError)
    except ImportError:  # pragma: no cover
        pass
    try:
        import redis.exceptions

        errors += [redis.exceptions.ConnectionError, redis.exceptions.TimeoutError]
    except ImportError:  # pragma: no cover
        pass
    return tuple(errors)


BROKER_ERRORS = _broker_errors()


# ---------------------------------------------------------------------------------------------
# The lock


_local = threading.local()


def lock_stale_after():
    """A lock row older than this belongs to a run the hard time limit has already killed."""
    return dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)


def _uses_advisory_lock():
    return connection.vendor == "postgresql"


def _acquire():
    if _uses_advisory_lock():
        # Session-level: PostgreSQL releases it by itself if the worker dies and its connection drops.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_LOCK_KEY])
            return bool(cursor.fetchone()[0]), None
    token = f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
    now = timezone.now()
    with transaction.atomic():
        RefreshLock.objects.get_or_create(name=LOCK_NAME)
    # One UPDATE claims the row only if it is free or stale: atomic on every database.
    claimed = (
        RefreshLock.objects.filter(name=LOCK_NAME)
        .filter(Q(holder="") | Q(acquired_at__isnull=True) | Q(acquired_at__lt=now - lock_stale_after()))
        .update(holder=token, acquired_at=now)
    )
    return claimed == 1, token


def _release(token):
    try:
        if _uses_advisory_lock():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK_KEY])
        else:
            RefreshLock.objects.filter(name=LOCK_NAME, holder=token).update(holder="", acquired_at=None)
    except DatabaseError:
        # A session lock must never outlive its run: a connection that cannot unlock is closed, and
        # PostgreSQL drops its locks with it (with persistent connections it would otherwise stay held).
        logger.warning("could not release the refresh lock; closing the connection", exc_info=True)
        connection.close()


@contextmanager
def refresh_lock():
    """Yields True while this process holds the refresh lock, False if another run holds it.

    Never re-entrant: a second acquire in the same process (PostgreSQL would grant it to the same
    session) counts as "already running" too.
    """
    if getattr(_local, "held", False):
        yield False
        return
    got, token = _acquire()
    if not got:
        yield False
        return
    _local.held = True
    try:
        yield True
    finally:
        _local.held = False
        _release(token)


def lock_is_free():
    with refresh_lock() as got:
        return got


class Busy(Exception):
    """Another run holds the refresh lock."""


def make_live(rule_set, user):
    """Make a draft rule set live and, if it applies to the latest year, rate with it: one lock, one switch.

    Under the refresh lock (a nightly run that rated with the old rule set could otherwise switch its
    ratings in afterwards), and in one transaction, so the ratings that are current are always the
    live rule set's: a failed rating leaves the old rule set live with its ratings. Returns the
    RatingRun, or None when the rule set applies to a later year than the data; raises Busy.
    """
    from .models import RuleSet
    from .runs import latest_year, run_ratings

    with refresh_lock() as got:
        if not got:
            raise Busy("A ratings run is in progress. Make the rule set live when it has finished.")
        with transaction.atomic():
            RuleSet.objects.filter(year=rule_set.year, status=RuleSet.Status.LIVE).update(
                status=RuleSet.Status.RETIRED)
            rule_set.status = RuleSet.Status.LIVE
            rule_set.made_live_at = timezone.now()
            rule_set.made_live_by = user
            rule_set.save()
            year = latest_year()
            if year is None or RuleSet.objects.for_year(year) != rule_set:
                return None
            return run_ratings(year=year, triggered_by=user)


# ---------------------------------------------------------------------------------------------
# Schedule: when the nightly run was due


def _nightly_crontab():
    """(hour set, minute set, dow set, dom set, month set, tz) of the nightly entry, None if switched off."""
    try:
        from django_celery_beat.models import PeriodicTask
    except ImportError:  # pragma: no cover
        PeriodicTask = None
    task = None
    if PeriodicTask is not None:
        task = PeriodicTask.objects.filter(name=NIGHTLY_TASK_NAME).select_related("crontab").first()
    if task is not None and not task.enabled:
        return None
    if task is not None and task.crontab_id:
        sched = task.crontab.schedule  # celery's crontab: sets of ints
        tz = ZoneInfo(str(task.crontab.timezone))
        return sched.hour, sched.minute, sched.day_of_week, sched.day_of_month, sched.month_of_year, tz
    hour, minute = DEFAULT_NIGHTLY
    return {hour}, {minute}, set(range(7)), set(range(1, 32)), set(range(1, 13)), ZoneInfo("Europe/London")


def last_scheduled_time(now=None):
    """The latest time at or before `now` the nightly refresh was due (None if it is switched off)."""
    spec = _nightly_crontab()
    if spec is None:
        return None
    hours, minutes, dows, doms, months, tz = spec
    now = now or timezone.now()
    local_now = now.astimezone(tz)
    for back in range(0, 400):
        day = local_now.date() - dt.timedelta(days=back)
        # celery counts days of the week from Sunday = 0
        if day.month not in months or day.day not in doms or (day.weekday() + 1) % 7 not in dows:
            continue
        for hour in sorted(hours, reverse=True):
            for minute in sorted(minutes, reverse=True):
                when = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)
                if when <= local_now:
                    return when
    return None


def key_for_due(due):
    # The due time, not just the date: an admin who moves the schedule gets a new run, not a duplicate.
    return f"nightly:{due:%Y-%m-%dT%H:%M}"


def nightly_key(now=None):
    """The key of the scheduled run a nightly delivery belongs to: the local time it was due."""
    due = last_scheduled_time(now)
    if due is None:  # switched off, but asked for by hand: today's 02:00 London time (or yesterday's)
        now = (now or timezone.now()).astimezone(ZoneInfo("Europe/London"))
        day = now.date() if (now.hour, now.minute) >= DEFAULT_NIGHTLY else now.date() - dt.timedelta(days=1)
        due = dt.datetime(day.year, day.month, day.day, *DEFAULT_NIGHTLY, tzinfo=now.tzinfo)
    return key_for_due(due)


def missed_night(now=None):
    """The scheduled time whose run never happened, or None.

    Missed: the grace after the due time has passed and no refresh finished since, and none was
    attempted since (a run that failed on its own errors is not repeated every quarter of an hour:
    its error is on the admin page).
    """
    now = now or timezone.now()
    due = last_scheduled_time(now)
    if due is None or now < due + GRACE:
        return None
    attempted = RefreshRun.objects.filter(
        Q(status=Status.DONE, finished_at__gte=due)
        | Q(status__in=(Status.RUNNING, Status.FAILED), started_at__gte=due)
    )
    return None if attempted.exists() else due


# ---------------------------------------------------------------------------------------------
# Running


def new_key(trigger):
    return f"{trigger}:{uuid.uuid4().hex}"


def _log(row, text):
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M:%S")
    row.log = (row.log + "\n" if row.log else "") + f"{stamp} {text}"


def _record_skipped(key, trigger, user, task_id, message):
    row = RefreshRun(key=key, trigger=trigger, triggered_by=user, task_id=task_id or "", status=Status.SKIPPED,
                     step="Skipped", error=message)
    row.started_at = row.finished_at = timezone.now()
    _log(row, message)
    row.save()
    logger.info("refresh %s: %s", key, message)
    return row


def perform(key=None, *, trigger=Trigger.COMMAND, user=None, refresh_id=None, task_id=""):
    """Run one refresh (or record why not). Returns the RefreshRun that says what happened.

    refresh_id: a row made when the run was asked for ("run now"); key: the run being asked for
    (default: a new one, or tonight's for a nightly run). Transient errors (database or broker down)
    are re-raised after they are recorded, so Celery retries them with back-off; other errors leave
    a failed row with the error text and are not raised.
    """
    row = None
    if refresh_id is not None:
        row = RefreshRun.objects.select_related("triggered_by").filter(pk=refresh_id).first()
        if row is None:
            logger.warning("refresh %s asked for but no longer exists", refresh_id)
            return None
        key, trigger, user = row.key, row.trigger, row.triggered_by
    elif key is None:
        # A worker whose clock is a little behind beat's must still file the delivery under tonight.
        key = nightly_key(timezone.now() + CLOCK_SKEW) if trigger == Trigger.NIGHTLY else new_key(trigger)
    with refresh_lock() as got:
        if not got:
            return _skip_busy(key, trigger, user, row, task_id)
        return _run_locked(key, trigger, user, row, task_id)


def _skip_busy(key, trigger, user, row, task_id):
    holder = RefreshRun.objects.filter(status=Status.RUNNING).order_by("-started_at").first()
    message = "Skipped: already running" + (f" (refresh {holder.pk})" if holder else "") + "."
    if row is not None and holder is not None and holder.pk != row.pk:
        # A "run now" press that found another run going: its own row says so.
        claimed = RefreshRun.objects.filter(pk=row.pk, status=Status.QUEUED).update(
            status=Status.SKIPPED, step="Skipped", error=message, finished_at=timezone.now(),
            task_id=task_id or row.task_id,
        )
        if claimed:
            row.refresh_from_db()
            return row
    return _record_skipped(key, trigger, user, task_id, message)


def _recover_interrupted(keep=None):
    """Holding the lock, a row still "running" lost its worker: say so, and fail its rating run too."""
    now = timezone.now()
    from .models import RatingRun

    stale = RefreshRun.objects.filter(status=Status.RUNNING)
    for old in stale:
        message = "Interrupted: the worker stopped before this run finished (the previous ratings stayed current)."
        RatingRun.objects.filter(status=RatingRun.Status.RUNNING, started_at__gte=old.started_at or now).update(
            status=RatingRun.Status.FAILED, finished_at=now, error=message
        )
        if keep is not None and old.pk == keep.pk:
            continue
        old.status = Status.FAILED
        old.finished_at = now
        old.error = message
        old.step = "Interrupted"
        _log(old, message)
        old.save(update_fields=["status", "finished_at", "error", "step", "log"])


def _run_locked(key, trigger, user, row, task_id, note=""):
    done = RefreshRun.objects.filter(key=key, status=Status.DONE).first()
    if done is not None:
        when = timezone.localtime(done.finished_at).strftime("%H:%M:%S on %d %B %Y") if done.finished_at else ""
        return _record_skipped(key, trigger, user, task_id,
                               f"Skipped: already done (refresh {done.pk}{', finished ' + when if when else ''}).")
    if row is None:
        row = RefreshRun.objects.filter(key=key, status__in=(Status.QUEUED, Status.RUNNING, Status.FAILED)).first()
    elif row.status == Status.SKIPPED:
        # A duplicate delivery marked the request skipped a moment before this one took the lock.
        row = None
    _recover_interrupted(keep=row)
    if row is None:
        row = RefreshRun(key=key, trigger=trigger, triggered_by=user)
    else:
        row.refresh_from_db()
    if row.pk and row.status == Status.FAILED and row.step == GIVEN_UP:
        return _record_skipped(key, trigger, user, task_id,
                               f"Skipped: refresh {row.pk} was given up after {row.attempts} attempts.")
    if row.pk and row.status == Status.RUNNING and row.attempts >= MAX_ATTEMPTS:
        # Killed every time (by the hard time limit, or out of memory): stop, say so, keep yesterday's ratings.
        row.status = Status.FAILED
        row.finished_at = timezone.now()
        row.step = GIVEN_UP
        row.error = (f"Given up after {row.attempts} attempts that were each interrupted (the worker died or the "
                     "hard time limit stopped it). The previous ratings are still shown.")
        _log(row, row.error)
        row.save()
        return row
    if row.pk and row.status == Status.RUNNING:
        _log(row, f"Attempt {row.attempts} was interrupted (the worker stopped); running it again.")
    elif row.pk and row.status == Status.FAILED:
        _log(row, f"Attempt {row.attempts} failed: {row.error}; running it again.")
    if note:
        _log(row, note)
    row.status = Status.RUNNING
    row.attempts += 1
    row.started_at = row.started_at or timezone.now()
    row.finished_at = None
    row.task_id = task_id or row.task_id
    row.pending = False
    row.error = ""
    row.step = "Starting"
    _log(row, f"Attempt {row.attempts} started" + (f" (task {task_id})" if task_id else "") + ".")
    row.save()
    try:
        _steps(row)
    except BaseException as exc:  # noqa: BLE001 - recorded, then re-raised or reported
        _record_failure(row, exc)
        if isinstance(exc, TRANSIENT_ERRORS) or not isinstance(exc, Exception):
            raise
        return row
    row.status = Status.DONE
    row.finished_at = timezone.now()
    row.step = "Finished"
    _log(row, f"Finished: {row.schools_rated} schools rated, {row.priorities_changed} priorities changed, "
              f"{row.emails_sent} emails sent.")
    row.save()
    logger.info("refresh %s (%s) done in %.1f s", row.pk, key, row.duration_seconds or 0)
    return row


def describe_error(exc):
    try:
        from celery.exceptions import SoftTimeLimitExceeded
    except ImportError:  # pragma: no cover
        SoftTimeLimitExceeded = ()
    if SoftTimeLimitExceeded and isinstance(exc, SoftTimeLimitExceeded):
        limit = settings.CELERY_TASK_SOFT_TIME_LIMIT
        return f"Stopped: the run took longer than the time limit ({limit} s). The previous ratings are still shown."
    text = str(exc).strip() or repr(exc)
    return f"{type(exc).__name__}: {text}"[:4000]


def _record_failure(row, exc):
    message = describe_error(exc)
    logger.error("refresh %s (%s) failed: %s", row.pk, row.key, message, exc_info=isinstance(exc, Exception))
    try:
        # A failed statement may have left the connection unusable; start clean.
        if connection.needs_rollback or not connection.is_usable():
            connection.close()
        row.status = Status.FAILED
        row.finished_at = timezone.now()
        row.error = message
        if row.step and not row.step.startswith("Failed"):
            row.step = f"Failed while {row.step[:1].lower()}{row.step[1:]}"[:80]
        _log(row, f"Attempt {row.attempts} failed: {message}")
        row.save()
    except DatabaseError:
        logger.exception("could not record the failure of refresh %s", row.pk)


def _set_step(row, step):
    row.step = step[:80]
    row.save(update_fields=["step"])


def _steps(row):
    from .models import RatingRun

    _set_step(row, "Recomputing strategy targets")
    row.targets_recomputed = recompute_figures()
    row.save(update_fields=["targets_recomputed"])

    run = row.rating_run if row.rating_run_id else None
    if run is None or run.status != RatingRun.Status.DONE:
        _set_step(row, "Rating schools")
        with _test_hooks(row):
            run = rate(row)
        row.rating_run = run
        row.schools_rated = run.schools_rated
        row.priorities_changed = run.priorities_changed
        _log(row, f"Rating run {run.pk} is current.")
        row.save(update_fields=["rating_run", "schools_rated", "priorities_changed", "log"])
    if row.emailed_at is None:
        _set_step(row, "Emailing LA officers")
        row.emails_sent = notify_officers(run)
        row.emailed_at = timezone.now()
        row.save(update_fields=["emails_sent", "emailed_at"])


def recompute_figures():
    """The figures strategy targets use (their LA, England and partnership series). Returns targets done.

    LA and England rows themselves are the files' own summary rows, stored by the imports; what the
    refresh recomputes from them is every target's baseline, latest value and status.
    """
    try:
        from strategy.progress import recompute_targets
    except ImportError:  # the strategy app is optional for the refresh
        return 0
    return recompute_targets() or 0


def rate(row):
    from .runs import run_ratings

    by = row.triggered_by if row.trigger == Trigger.USER and row.triggered_by_id else "nightly"
    if row.trigger == Trigger.COMMAND:
        by = None
    return run_ratings(triggered_by=by)


@contextmanager
def _test_hooks(row):
    """Test-only faults, switched on by environment variables in a test's own worker.

    PEP_REFRESH_TEST_PAUSE=<seconds>: wait after the new ratings are written, before the switch
    (inside the rating transaction), so a test can kill the worker at the worst moment.
    PEP_REFRESH_TEST_PAUSE_ATTEMPTS=<n>: pause only in the first n attempts (default: every attempt).
    PEP_REFRESH_TEST_FAIL_URN=<urn>: that school's data raises while the schools are rated.
    """
    pause = float(os.environ.get("PEP_REFRESH_TEST_PAUSE") or 0)
    if pause and row.attempts > int(os.environ.get("PEP_REFRESH_TEST_PAUSE_ATTEMPTS") or 10**6):
        pause = 0
    fail_urn = os.environ.get("PEP_REFRESH_TEST_FAIL_URN") or ""
    if not pause and not fail_urn:
        yield
        return
    from . import runs

    original_write, original_facts = runs.write_results, runs.school_facts

    def paused_write(*args, **kwargs):
        result = original_write(*args, **kwargs)
        logger.warning("test pause: %s s before the switch", pause)
        time.sleep(pause)
        return result

    def failing_facts(school):
        if str(school.urn) == fail_urn:
            raise ValueError("this school's figures could not be read (corrupt value)")
        return original_facts(school)

    if pause:
        runs.write_results = paused_write
    if fail_urn:
        runs.school_facts = failing_facts
    try:
        yield
    finally:
        runs.write_results, runs.school_facts = original_write, original_facts


# ---------------------------------------------------------------------------------------------
# Email


def officer_recipients():
    from django.contrib.auth import get_user_model

    from pep_portal.roles import Role

    return list(
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.LA_OFFICER)
        .exclude(email="")
        .distinct()
        .order_by("email")
    )


def priority_changes(run):
    from .models import Priority, SchoolRating

    labels = dict(Priority.choices)
    rows = (
        SchoolRating.objects.filter(run=run, changed=True)
        .select_related("school")
        .order_by("priority", "school__name")
    )
    return [
        {
            "name": r.school.name,
            "urn": r.school.urn,
            "before": labels.get(r.previous_priority or "", "Not rated"),
            "after": labels.get(r.priority or "", "Not rated"),
        }
        for r in rows
    ]


def notify_officers(run):
    """Email each LA officer the schools whose priority changed in `run`. Returns emails sent."""
    from django.core.mail import EmailMessage, get_connection
    from django.template.loader import render_to_string

    changes = priority_changes(run)
    if not changes:
        return 0
    recipients = officer_recipients()
    if not recipients:
        return 0
    prefix = f"[{partnership.current().name}] "
    noun = "school" if len(changes) == 1 else "schools"
    subject = f"{prefix}{len(changes)} {noun} changed priority in the ratings refresh"
    context = {
        "changes": changes, "run": run, "site_url": settings.SITE_ROOT,
        "partnership": partnership.current().name,
    }
    messages = []
    for user in recipients:
        body = render_to_string("dashboard/refresh_email.txt", {**context, "user": user})
        messages.append(EmailMessage(subject, body, to=[user.email]))
    return get_connection().send_messages(messages) or 0


# ---------------------------------------------------------------------------------------------
# Asking for a run, and the watchdog


def request_run(user=None, *, trigger=Trigger.USER):
    """Queue a refresh ("run now"). Returns its RefreshRun; a broker error is recorded on it, never raised."""
    from . import tasks

    row, queued = _one_active_request(user, trigger)
    if not queued:  # pressed again (or twice at once): the run already asked for is the answer
        return row
    try:
        result = tasks.run_ratings_now.apply_async(args=[row.pk])
    except BROKER_ERRORS as exc:
        message = (
            f"The run could not be queued: the task queue did not answer ({type(exc).__name__}: {exc}). "
            "Nothing was changed; the previous ratings are still shown. It will run by itself when the "
            "queue is back."
        )
        RefreshRun.objects.filter(pk=row.pk, status=Status.QUEUED).update(
            status=Status.FAILED, pending=True, error=message, step="Not queued", finished_at=timezone.now()
        )
        logger.error("refresh %s could not be queued: %s", row.pk, exc)
    else:
        RefreshRun.objects.filter(pk=row.pk, task_id="").update(task_id=result.id or "")
    row.refresh_from_db()
    return row


def _one_active_request(user, trigger):
    """(row, True) for a new queued run, or (the queued or running run, False) if there is one.

    Checked and created while holding a row lock, so two presses at the same moment make one run.
    """
    with transaction.atomic():
        RefreshLock.objects.get_or_create(name=REQUEST_LOCK_NAME)
    with transaction.atomic():
        RefreshLock.objects.select_for_update().get(name=REQUEST_LOCK_NAME)
        active = RefreshRun.objects.active().order_by("-created_at").first()
        if active is not None:
            return active, False
        return RefreshRun.objects.create(key=new_key(trigger), trigger=trigger, triggered_by=user,
                                         status=Status.QUEUED, step="Waiting in the queue"), True


def lost_after():
    """A queued row this old was never picked up (its message was lost with the broker)."""
    return dt.timedelta(seconds=settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] + 600)


def watchdog(now=None, task_id=""):
    """Run what should have run: an interrupted run, a run that could not be queued, a missed night.

    Returns (what it found, the RefreshRun it ran or None). Does nothing while a run holds the lock.
    """
    now = now or timezone.now()
    with refresh_lock() as got:
        if not got:
            return "busy", None
        interrupted = RefreshRun.objects.filter(status=Status.RUNNING).order_by("-started_at").first()
        if interrupted is not None:
            row = _run_locked(interrupted.key, interrupted.trigger, interrupted.triggered_by, interrupted, task_id,
                              note="Resumed by the watchdog.")
            return "interrupted", row
        RefreshRun.objects.filter(status=Status.QUEUED, created_at__lt=now - lost_after()).update(
            status=Status.FAILED, pending=True, finished_at=now, step="Not started",
            error="Never started: the queued run was lost (was the task queue restarted?).",
        )
        pending = list(RefreshRun.objects.filter(pending=True).order_by("created_at"))
        if pending:
            RefreshRun.objects.filter(pk__in=[p.pk for p in pending]).update(pending=False)
            asked = ", ".join(str(p.pk) for p in pending)
            last = pending[-1]
            row = _run_locked(f"retry:{last.key}", Trigger.WATCHDOG, last.triggered_by, None, task_id,
                              note=f"Run by the watchdog for refresh {asked}, which could not be queued.")
            return "pending", row
        due = missed_night(now)
        if due is not None:
            row = _run_locked(key_for_due(due), Trigger.WATCHDOG, None, None, task_id,
                              note=f"Run by the watchdog: the run due at {due:%H:%M on %d %B %Y} did not happen.")
            return "missed", row
        return "nothing to do", None


# ---------------------------------------------------------------------------------------------
# For pages


def last_good_run():
    """The latest refresh that finished, or None."""
    return RefreshRun.objects.good().select_related("rating_run").order_by("-finished_at", "-id").first()


def last_run_summary(now=None):
    """What the dashboard says about freshness: last good run, a failure since, a missed night."""
    from .models import CurrentRun

    good = last_good_run()
    latest = RefreshRun.objects.exclude(status=Status.SKIPPED).order_by("-created_at", "-id").first()
    failed_since = latest if latest is not None and latest.status == Status.FAILED else None
    current = CurrentRun.get()
    return {
        "last_good_run": good,
        "last_failed_run": failed_since,
        # Without a broker nothing runs by itself: no "due, will run when a worker is up" warning.
        "missed_since": missed_night(now) if settings.CELERY_BROKER_URL else None,
        "current_rating_run": current,
        "running": RefreshRun.objects.filter(status=Status.RUNNING).exists(),
    }
