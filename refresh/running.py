"""Running one refresh: recompute the strategy figures, rate, email; every attempt a RefreshRun row.

One refresh: recompute the figures the strategy targets use (LA and England rows, partnership
aggregates), run the ratings for the current year with the live rule set (`runs.run_ratings`, which
writes beside the current run and switches the pointer in one transaction), then email LA officers
the schools whose priority changed.

Safety, in the order the code applies it:
- the refresh lock (refresh.locks) so two refreshes never overlap; the loser is recorded as
  "Skipped: already running";
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
import uuid

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from dashboard.models import RatingRun
from dashboard.runs import run_ratings
from strategy.progress import recompute_targets

from .emails import notify_officers
from .locks import TRANSIENT_ERRORS, refresh_lock
from .models import RefreshRun
from .schedule import key_for_due, missed_night, nightly_key

logger = logging.getLogger(__name__)

Status = RefreshRun.Status
Trigger = RefreshRun.Trigger

CLOCK_SKEW = dt.timedelta(minutes=2)
# A run interrupted this many times is not started again (a run the hard time limit kills would loop).
MAX_ATTEMPTS = 3
GIVEN_UP = "Given up"


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
    if isinstance(exc, SoftTimeLimitExceeded):
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
    _set_step(row, "Recomputing strategy targets")
    row.targets_recomputed = recompute_figures()
    row.save(update_fields=["targets_recomputed"])

    run = row.rating_run if row.rating_run_id else None
    if run is None or run.status != RatingRun.Status.DONE:
        _set_step(row, "Rating schools")
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
    return recompute_targets() or 0


def rate(row):
    by = row.triggered_by if row.trigger == Trigger.USER and row.triggered_by_id else "nightly"
    if row.trigger == Trigger.COMMAND:
        by = None
    return run_ratings(triggered_by=by)


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


def summary(row):
    """What a task returns about its run (None when there was no run)."""
    if row is None:
        return None
    return {"refresh": row.pk, "key": row.key, "status": row.status, "error": row.error}
