"""The reminder two days before and the deletion a year after: functions, their Celery tasks (run
in-process here), their management commands and their beat entries."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from events import tasks
from events.models import Booking, BookingStatus

pytestmark = pytest.mark.django_db


def _booking(event, email, status=BookingStatus.CONFIRMED):
    return Booking.objects.create(event=event, name="Sam Patel", email=email, status=status)


def test_confirmed_bookers_are_reminded_once_two_days_before(make_event):
    soon = make_event(days=1.5, booking_deadline=timezone.now())
    later = make_event(days=5)
    reminded = _booking(soon, "soon@example.org")
    _booking(soon, "waiting@example.org", BookingStatus.WAITING)
    _booking(soon, "pending@example.org", BookingStatus.PENDING)
    _booking(later, "later@example.org")
    tasks.send_event_reminders.delay()
    assert [m.to for m in mail.outbox] == [["soon@example.org"]]
    message = mail.outbox[0]
    assert message.subject.startswith("[") and "Reminder: Workshop" in message.subject
    assert "/events/bookings/" in message.body and "/cancel/" in message.body
    assert message.attachments[0][0] == "invite.ics"
    reminded.refresh_from_db()
    assert reminded.reminded_at is not None
    tasks.send_event_reminders.delay()
    assert len(mail.outbox) == 1


def test_the_reminder_command_does_the_same(make_event):
    _booking(make_event(days=1, booking_deadline=timezone.now()), "soon@example.org")
    out = StringIO()
    call_command("send_event_reminders", stdout=out)
    assert "1 reminders sent" in out.getvalue() and len(mail.outbox) == 1


def test_bookings_are_deleted_a_year_after_the_event(make_event):
    old = make_event(days=-370, booking_deadline=timezone.now() - datetime.timedelta(days=371))
    recent = make_event(days=-300, booking_deadline=timezone.now() - datetime.timedelta(days=301))
    _booking(old, "old@example.org")
    _booking(recent, "recent@example.org")
    tasks.delete_old_bookings.delay()
    assert list(Booking.objects.values_list("email", flat=True)) == ["recent@example.org"]
    out = StringIO()
    call_command("delete_old_bookings", stdout=out)
    assert "0 bookings deleted" in out.getvalue()


def test_beat_runs_both_tasks():
    entries = dict(PeriodicTask.objects.values_list("name", "task"))
    assert entries["event reminders"] == "events.tasks.send_event_reminders"
    assert entries["event booking retention"] == "events.tasks.delete_old_bookings"
