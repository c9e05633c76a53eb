"""The beat schedule for the refresh, editable in the Django admin (django-celery-beat's Periodic tasks).

- "nightly refresh": 02:00 Europe/London every night.
- "refresh watchdog": every 15 minutes; runs a night that was missed (beat or broker down), a run whose
  worker died, or a "run now" that could not be queued.
Created only if absent, so an admin's edits survive; removed again on reverse.
"""

from django.db import migrations

NIGHTLY = "nightly refresh"
WATCHDOG = "refresh watchdog"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    changed = False
    if not PeriodicTask.objects.filter(name=NIGHTLY).exists():
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute="0", hour="2", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Europe/London"
        )
        PeriodicTask.objects.create(
            name=NIGHTLY, task="dashboard.tasks.nightly_refresh", crontab=crontab, enabled=True,
            description="Recompute strategy figures, rate every school, email LA officers the priority changes.",
        )
        changed = True
    if not PeriodicTask.objects.filter(name=WATCHDOG).exists():
        every, _ = IntervalSchedule.objects.get_or_create(every=15, period="minutes")
        PeriodicTask.objects.create(
            name=WATCHDOG, task="dashboard.tasks.watchdog", interval=every, enabled=True,
            description="Run a missed night, an interrupted run or a run that could not be queued.",
        )
        changed = True
    if changed:
        # Tell a running beat (DatabaseScheduler) that the schedule changed.
        from django.utils import timezone

        PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[NIGHTLY, WATCHDOG]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("dashboard", "0003_refresh_runs"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
