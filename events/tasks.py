"""Celery tasks for bookings, thin wrappers over events.bookings (beat entries: migration 0002)."""

from celery import shared_task

from . import bookings


@shared_task(acks_late=True)
def send_event_reminders():
    return bookings.send_reminders()


@shared_task(acks_late=True)
def delete_old_bookings():
    return bookings.delete_old_bookings()
