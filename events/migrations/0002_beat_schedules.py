"""Beat entries "event reminders" (hourly, at :15) and "event booking retention" (daily, 03:30), editable
in the Django admin. Created only if absent, so an admin's edits survive; removed again on reverse."""

from django.db import migrations

ENTRIES = {
    "event reminders": (
        "events.tasks.send_event_reminders", {"minute": "15", "hour": "*"},
        "Pass on lapsed waiting-list offers; remind confirmed bookers two days before their event.",
    ),
    "event booking retention": (
        "events.tasks.delete_old_bookings", {"minute": "30", "hour": "3"},
        "Delete bookings (personal data) a year after their event.",
    ),
}


def create_schedules(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    for name, (task, when, description) in ENTRIES.items():
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        crontab, _ = CrontabSchedule.objects.get_or_create(
            day_of_week="*", day_of_month="*", month_of_year="*", timezone="Europe/London", **when
        )
        PeriodicTask.objects.create(name=name, task=task, crontab=crontab, enabled=True, description=description)
    from django.utils import timezone

    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedules(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=list(ENTRIES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
