"""Celery task for support reminders: a thin wrapper over dashboard.support.send_reminders.

Scheduled nightly by the beat entry "support reminders" (migration 0006, editable in the admin).
"""

from celery import shared_task

from . import support


@shared_task(acks_late=True)
def send_support_reminders():
    return support.send_reminders()
