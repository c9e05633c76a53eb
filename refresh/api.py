"""What the rest of the portal asks of the refresh: rate under its lock, queue a run, say how fresh the ratings are.

Every path that rates goes through here or refresh.running, so nothing rates while another run does.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from dashboard.models import CurrentRun, RuleSet
from dashboard.runs import latest_year, run_ratings

from . import tasks
from .locks import BROKER_ERRORS, REQUEST_LOCK_NAME, Busy, refresh_lock
from .models import RefreshLock, RefreshRun
from .running import new_key
from .schedule import missed_night

logger = logging.getLogger(__name__)

Status = RefreshRun.Status
Trigger = RefreshRun.Trigger


def rate_now(year=None, triggered_by=None):
    """One rating run under the refresh lock (rate_schools, the demo). Raises Busy while another run holds it."""
    with refresh_lock() as got:
        if not got:
            raise Busy("A rating run is already in progress; try again when it has finished.")
        return run_ratings(year=year, triggered_by=triggered_by)


def make_live(rule_set, user):
    """Make a draft rule set live and, if it applies to the latest year, rate with it: one lock, one switch.

    Under the refresh lock (a nightly run that rated with the old rule set could otherwise switch its
    ratings in afterwards), and in one transaction, so the ratings that are current are always the
    live rule set's: a failed rating leaves the old rule set live with its ratings. Returns the
    RatingRun, or None when the rule set applies to a later year than the data; raises Busy.
    """
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


def request_run(user=None, *, trigger=Trigger.USER):
    """Queue a refresh ("run now"). Returns its RefreshRun; a broker error is recorded on it, never raised."""
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


def last_good_run():
    """The latest refresh that finished, or None."""
    return RefreshRun.objects.good().select_related("rating_run").order_by("-finished_at", "-id").first()


def last_run_summary(now=None):
    """What the dashboard says about freshness: last good run, a failure since, a missed night."""
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
