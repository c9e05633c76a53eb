"""Celery task for support reminders: a thin wrapper over support.reminders.send_reminders.

Scheduled nightly by the beat entry "support reminders" (dashboard migration 0006, editable in the
admin). The task keeps the name it was registered under when it lived in the dashboard app, which the
stored PeriodicTask row names.
"""

from celery import shared_task

from . import reminders


@shared_task(name="dashboard.support_tasks.send_support_reminders", acks_late=True)
def send_support_reminders():
    return reminders.send_reminders()
