"""Celery tasks for the nightly refresh: thin wrappers over dashboard.refresh (eager when no broker).

All acknowledge late (settings: CELERY_TASK_ACKS_LATE with CELERY_TASK_REJECT_ON_WORKER_LOST), so a
worker that dies mid-run leaves the message to be delivered again; refresh.perform makes that second
delivery resume the same run, or record itself as skipped if the run already finished. Transient
errors (database or broker not answering) are retried with back-off; other errors are recorded on the
RefreshRun and not retried.
"""

import os

from celery import shared_task
from celery.signals import worker_ready

from . import refresh

RETRY = dict(
    autoretry_for=refresh.TRANSIENT_ERRORS,
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=6,
    acks_late=True,
)


def _summary(row):
    if row is None:
        return None
    return {"refresh": row.pk, "key": row.key, "status": row.status, "error": row.error}


@shared_task(bind=True, **RETRY)
def nightly_refresh(self, key=None):
    """The beat entry "nightly refresh" (02:00 Europe/London by default, editable in the admin)."""
    return _summary(refresh.perform(key, trigger=refresh.Trigger.NIGHTLY, task_id=self.request.id or ""))


@shared_task(bind=True, **RETRY)
def run_ratings_now(self, refresh_id):
    """The admin page's "run now": the whole refresh for a RefreshRun made when the button was pressed."""
    return _summary(refresh.perform(refresh_id=refresh_id, task_id=self.request.id or ""))


@shared_task(bind=True, **RETRY)
def watchdog(self):
    """Runs an interrupted run, a run that could not be queued, or a missed night (beat entry and worker start)."""
    found, row = refresh.watchdog(task_id=self.request.id or "")
    return {"found": found, **(_summary(row) or {})}


@worker_ready.connect
def _watchdog_at_worker_start(sender=None, **kwargs):
    """A night missed while no worker was up is run as soon as one is (tests switch this off)."""
    if os.environ.get("PEP_REFRESH_WATCHDOG_AT_START", "1") == "0":
        return
    try:
        watchdog.apply_async(countdown=2)
    except refresh.BROKER_ERRORS:  # the hourly entry tries again later
        pass
