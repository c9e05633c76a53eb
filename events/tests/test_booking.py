"""Booking as a visitor does it: the form, the email link (double opt-in), capacity, the waiting
list and its offers, cancelling, and the emails at each step."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from events import bookings
from events.models import Booking, BookingStatus
from events.tests.conftest import link

pytestmark = pytest.mark.django_db


def test_a_booking_is_held_until_the_email_link_is_followed(client, make_event, book):
    event = make_event(capacity=5)
    response = book(event, "sam@example.org", follow=True)
    assert "Check your email" in response.content.decode()
    booking = Booking.objects.get()
    assert booking.status == BookingStatus.PENDING and event.places_left() == 5
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["sam@example.org"]
    confirm_url = link(mail.outbox[0], "confirm")
    assert link(mail.outbox[0], "cancel")
    # Opening the link (as a mail scanner might) changes nothing; the button confirms.
    page = client.get(confirm_url)
    assert "Confirm my booking" in page.content.decode()
    assert Booking.objects.get().status == BookingStatus.PENDING
    done = client.post(confirm_url)
    assert "You are booked" in done.content.decode()
    assert Booking.objects.get().status == BookingStatus.CONFIRMED and event.places_left() == 4


def test_the_confirmation_carries_an_icalendar_invitation_and_a_cancel_link(client, make_event, book):
    event = make_event()
    book(event, "sam@example.org")
    client.post(link(mail.outbox[0], "confirm"))
    booked = mail.outbox[1]
    assert "You are booked" in booked.subject
    assert link(booked, "cancel")
    name, content, mimetype = booked.attachments[0]
    assert name == "invite.ics" and mimetype == "text/calendar"
    text = content.decode() if isinstance(content, bytes) else content
    assert "BEGIN:VEVENT" in text and "SUMMARY:Workshop: reducing persistent absence" in text
    assert f"UID:event-{event.pk}@" in text


def test_confirming_twice_books_once(client, make_event, book):
    event = make_event()
    book(event, "sam@example.org")
    url = link(mail.outbox[0], "confirm")
    client.post(url)
    client.post(url)
    assert Booking.objects.filter(status=BookingStatus.CONFIRMED).count() == 1
    assert len(mail.outbox) == 2


def test_a_full_event_takes_a_waiting_list_and_offers_a_freed_place_to_the_first(client, make_event, book):
    event = make_event(capacity=1)
    for email in ("first@example.org", "second@example.org", "third@example.org"):
        book(event, email)
    confirm_links = {m.to[0]: link(m, "confirm") for m in mail.outbox}
    for email in ("first@example.org", "second@example.org", "third@example.org"):
        client.post(confirm_links[email])
    status = dict(Booking.objects.values_list("email", "status"))
    assert status == {"first@example.org": "confirmed", "second@example.org": "waiting", "third@example.org": "waiting"}
    waiting_mail = [m for m in mail.outbox if m.to == ["second@example.org"]][-1]
    assert "Waiting list" in waiting_mail.subject and link(waiting_mail, "cancel")

    mail.outbox.clear()
    first = Booking.objects.get(email="first@example.org")
    client.post(first.cancel_url())
    assert Booking.objects.get(email="first@example.org").status == BookingStatus.CANCELLED
    second = Booking.objects.get(email="second@example.org")
    assert second.status == BookingStatus.OFFERED
    assert Booking.objects.get(email="third@example.org").status == BookingStatus.WAITING
    [offer] = mail.outbox
    assert offer.to == ["second@example.org"] and "A place is free" in offer.subject
    assert link(offer, "cancel")
    # The offer holds the place: a newcomer cannot take it meanwhile.
    book(event, "newcomer@example.org")
    client.post(link(mail.outbox[-1], "confirm"))
    assert Booking.objects.get(email="newcomer@example.org").status == BookingStatus.WAITING
    client.post(link(offer, "confirm"))
    assert Booking.objects.get(email="second@example.org").status == BookingStatus.CONFIRMED
    assert event.places_left() == 0


def test_an_offer_not_taken_in_time_passes_to_the_next(make_event):
    event = make_event(capacity=1)
    now = timezone.now()
    Booking.objects.create(event=event, name="A", email="a@example.org", status=BookingStatus.OFFERED,
                           offered_at=now - datetime.timedelta(hours=bookings.OFFER_HOURS + 1))
    Booking.objects.create(event=event, name="B", email="b@example.org", status=BookingStatus.WAITING, queued_at=now)
    assert bookings.send_reminders()["offers_lapsed"] == 1
    assert dict(Booking.objects.values_list("email", "status")) == {"a@example.org": "cancelled",
                                                                    "b@example.org": "offered"}
    assert [m.to[0] for m in mail.outbox] == ["a@example.org", "b@example.org"]
    assert "lapsed" in mail.outbox[0].subject and "A place is free" in mail.outbox[1].subject


def test_cancelling_needs_the_button_and_a_pending_booking_can_be_cancelled(client, make_event, book):
    event = make_event()
    book(event, "sam@example.org")
    cancel_url = link(mail.outbox[0], "cancel")
    assert "Cancel my booking" in client.get(cancel_url).content.decode()
    assert Booking.objects.get().status == BookingStatus.PENDING
    assert "Your booking is cancelled" in client.post(cancel_url).content.decode()
    assert Booking.objects.get().status == BookingStatus.CANCELLED
    # The confirm link of a cancelled booking no longer books.
    client.post(link(mail.outbox[0], "confirm"))
    assert Booking.objects.get().status == BookingStatus.CANCELLED


def test_an_unknown_link_is_not_found(client):
    assert client.get("/events/bookings/not-a-token/confirm/").status_code == 404
    assert client.post("/events/bookings/not-a-token/cancel/").status_code == 404


def test_booking_closes_at_the_deadline(client, make_event, book):
    event = make_event(days=1, booking_deadline=timezone.now() - datetime.timedelta(minutes=1))
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Booking for this event has closed" in page and 'name="email"' not in page
    book(event, "sam@example.org")
    assert not Booking.objects.exists() and not mail.outbox


def test_a_pending_booking_cannot_be_confirmed_after_the_deadline(client, make_event, book):
    event = make_event()
    book(event, "sam@example.org")
    event.booking_deadline = timezone.now() - datetime.timedelta(minutes=1)
    event.save()
    response = client.post(link(mail.outbox[0], "confirm"))
    assert "Booking has closed" in response.content.decode()
    assert Booking.objects.get().status == BookingStatus.PENDING
