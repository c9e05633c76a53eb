"""When the nightly refresh was due: its django-celery-beat entry, or 02:00 Europe/London by default."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from .models import RefreshRun

Status = RefreshRun.Status

NIGHTLY_TASK_NAME = "nightly refresh"
WATCHDOG_TASK_NAME = "refresh watchdog"
DEFAULT_NIGHTLY = (2, 0)  # 02:00 Europe/London
# The watchdog leaves the scheduled run this long to start before calling the night missed.
GRACE = dt.timedelta(minutes=10)


def _nightly_crontab():
    """(hour set, minute set, dow set, dom set, month set, tz) of the nightly entry, None if switched off."""
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
    local_now = (now or timezone.now()).astimezone(tz)
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
