"""Booking as plain functions: request, confirm (double opt-in), cancel, waiting list, reminders, retention.

- `request_booking()` answers every request the same way: one email to the address given, whatever
  that address already has. A new address gets a pending booking and a confirmation link; an address
  already booked on the event gets the email that matches its booking again, and nothing changes.
- `confirm()` is the email link: with the event row locked (select_for_update), a place is taken if
  one is left, otherwise the booker joins the waiting list. Two confirmations racing for the last
  place never both get it.
- `cancel()` frees the place and offers it to the first on the waiting list, by email. An offer holds
  the place for OFFER_HOURS; `lapse_offers()` (hourly, with the reminders) passes a lapsed offer on.
- `send_reminders()` emails confirmed bookers once, in the two days before the event.
- `delete_old_bookings()` deletes bookings a year after their event ended (personal data).
"""

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from . import emails
from .models import ACTIVE, HOLDS_A_PLACE, OFFER_HOURS, Booking, BookingStatus, Event

logger = logging.getLogger(__name__)
REMINDER_DAYS = 2
RETENTION_DAYS = 365


class BookingClosed(Exception):
    """The event's booking deadline has passed (or the event has started)."""


def request_booking(event, *, name, email, organisation=""):
    """A visitor's booking form. Returns nothing the caller could tell apart (see module docstring)."""
    if not event.booking_open:
        raise BookingClosed
    email = email.strip()
    with transaction.atomic():
        existing = Booking.objects.filter(event=event, email__iexact=email, status__in=ACTIVE).first()
        booking = existing or Booking.objects.create(
            event=event, name=name.strip(), email=email, organisation=organisation.strip()
        )
    emails.send_for_status(booking)


def _lock_event(event_id):
    return Event.objects.select_for_update().get(pk=event_id)


def _has_room(event):
    return event.bookings.filter(status__in=HOLDS_A_PLACE).count() < event.capacity


def confirm(token):
    """The email link. Returns the booking after the change (or as it was, if nothing was to be done)."""
    booking = Booking.objects.select_related("event").get(token=token)
    if booking.status not in (BookingStatus.PENDING, BookingStatus.OFFERED):
        return booking
    if not booking.event.booking_open and booking.status == BookingStatus.PENDING:
        raise BookingClosed
    with transaction.atomic():
        event = _lock_event(booking.event_id)
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        changed = _take_place_or_queue(event, booking)
    if changed:
        emails.send_for_status(booking)
    return booking


def _take_place_or_queue(event, booking):
    now = timezone.now()
    if booking.status == BookingStatus.OFFERED:
        booking.status, booking.confirmed_at = BookingStatus.CONFIRMED, now  # the offer already holds a place
    elif booking.status == BookingStatus.PENDING and _has_room(event):
        booking.status, booking.confirmed_at = BookingStatus.CONFIRMED, now
    elif booking.status == BookingStatus.PENDING:
        booking.status, booking.queued_at = BookingStatus.WAITING, now
    else:
        return False
    booking.save()
    return True


def cancel(token):
    """The cancel link: frees the place (if it held one) and offers it to the next in the queue."""
    with transaction.atomic():
        booking = Booking.objects.select_related("event").get(token=token)
        if booking.status == BookingStatus.CANCELLED:
            return booking, None
        event = _lock_event(booking.event_id)
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        freed = booking.status in HOLDS_A_PLACE
        booking.status, booking.cancelled_at = BookingStatus.CANCELLED, timezone.now()
        booking.save()
        offered = _offer_next(event) if freed else None
    if offered:
        emails.send_for_status(offered)
    return booking, offered


def _offer_next(event):
    """Within the caller's lock: the first on the waiting list is offered the freed place."""
    if event.starts_at <= timezone.now() or not _has_room(event):
        return None
    nxt = event.bookings.filter(status=BookingStatus.WAITING).order_by("queued_at", "pk").first()
    if nxt is None:
        return None
    nxt.status, nxt.offered_at = BookingStatus.OFFERED, timezone.now()
    nxt.save()
    return nxt


def lapse_offers(now=None):
    """Offers not taken within OFFER_HOURS are cancelled and the place offered to the next in line."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(hours=OFFER_HOURS)
    lapsed = 0
    for booking in Booking.objects.filter(status=BookingStatus.OFFERED, offered_at__lt=cutoff):
        with transaction.atomic():
            event = _lock_event(booking.event_id)
            booking.refresh_from_db()
            if booking.status != BookingStatus.OFFERED:
                continue
            booking.status, booking.cancelled_at = BookingStatus.CANCELLED, now
            booking.save()
            offered = _offer_next(event)
        emails.send_offer_lapsed(booking)
        if offered:
            emails.send_for_status(offered)
        lapsed += 1
    return lapsed


def send_reminders(now=None):
    """Hourly: lapsed offers are passed on; confirmed bookers of events within two days are reminded once."""
    now = now or timezone.now()
    lapsed = lapse_offers(now)
    due = Booking.objects.select_related("event").filter(
        status=BookingStatus.CONFIRMED,
        reminded_at__isnull=True,
        event__starts_at__gt=now,
        event__starts_at__lte=now + datetime.timedelta(days=REMINDER_DAYS),
    )
    sent = 0
    for booking in due:
        # Marked first, in its own write: a crash after the send never sends a second reminder.
        if Booking.objects.filter(pk=booking.pk, reminded_at__isnull=True).update(reminded_at=now):
            emails.send_reminder(booking)
            sent += 1
    return {"reminders": sent, "offers_lapsed": lapsed}


def delete_old_bookings(now=None):
    """Bookings are personal data: deleted a year after their event ended."""
    now = now or timezone.now()
    with transaction.atomic():
        deleted, _ = Booking.objects.filter(event__ends_at__lt=now - datetime.timedelta(days=RETENTION_DAYS)).delete()
    return deleted
