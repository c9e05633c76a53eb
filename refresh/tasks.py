"""Celery tasks for the nightly refresh: thin wrappers over refresh.running (eager when no broker).

All acknowledge late (settings: CELERY_TASK_ACKS_LATE with CELERY_TASK_REJECT_ON_WORKER_LOST), so a
worker that dies mid-run leaves the message to be delivered again; running.perform makes that second
delivery resume the same run, or record itself as skipped if the run already finished. Transient
errors (database or broker not answering) are retried with back-off; other errors are recorded on the
RefreshRun and not retried.

The tasks keep the names they were registered under in the dashboard app: the beat entries in the
database and messages already queued name them so.
"""

from celery import shared_task

from . import running
from .locks import BROKER_ERRORS, TRANSIENT_ERRORS

WATCHDOG_AT_START_UID = "refresh-watchdog-at-worker-start"

RETRY = dict(
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=6,
    acks_late=True,
)


@shared_task(bind=True, name="dashboard.tasks.nightly_refresh", **RETRY)
def nightly_refresh(self, key=None):
    """The beat entry "nightly refresh" (02:00 Europe/London by default, editable in the admin)."""
    row = running.perform(key, trigger=running.Trigger.NIGHTLY, task_id=self.request.id or "")
    return running.summary(row)


@shared_task(bind=True, name="dashboard.tasks.run_ratings_now", **RETRY)
def run_ratings_now(self, refresh_id):
    """The admin page's "run now": the whole refresh for a RefreshRun made when the button was pressed."""
    return running.summary(running.perform(refresh_id=refresh_id, task_id=self.request.id or ""))


@shared_task(bind=True, name="dashboard.tasks.watchdog", **RETRY)
def watchdog(self):
    """Runs an interrupted run, a run that could not be queued, or a missed night (beat entry and worker start)."""
    found, row = running.watchdog(task_id=self.request.id or "")
    return {"found": found, **(running.summary(row) or {})}


def watchdog_at_worker_start(sender=None, **kwargs):
    """A night missed while no worker was up is run as soon as one is (connected in RefreshConfig.ready)."""
    try:
        watchdog.apply_async(countdown=2)
    except BROKER_ERRORS:  # the watchdog's beat entry tries again later
        pass
