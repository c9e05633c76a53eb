"""Abuse rules on the booking form: nothing tells a visitor whether an address is already booked,
robots filling the honeypot get the usual answer and nothing else, and rate limits hold (and give
way, not break, when the cache is down)."""

from unittest import mock

import pytest
from django.core import mail

from events import abuse
from events.models import Booking, BookingStatus
from events.tests.conftest import link

pytestmark = pytest.mark.django_db


def test_an_address_already_booked_gets_the_same_page_and_one_email_as_a_new_one(client, make_event, book):
    event = make_event()
    book(event, "booked@example.org")
    client.post(link(mail.outbox[0], "confirm"))
    mail.outbox.clear()
    again = book(event, "booked@example.org", follow=True)
    fresh = book(event, "fresh@example.org", follow=True)
    assert again.status_code == fresh.status_code == 200
    assert again.redirect_chain == fresh.redirect_chain
    assert "Check your email" in again.content.decode() and "Check your email" in fresh.content.decode()
    # One email to each address, nothing else; the booked address is not booked twice.
    assert sorted(m.to[0] for m in mail.outbox) == ["booked@example.org", "fresh@example.org"]
    assert Booking.objects.filter(email="booked@example.org").count() == 1
    assert Booking.objects.get(email="booked@example.org").status == BookingStatus.CONFIRMED
    assert "You are booked" in next(m for m in mail.outbox if m.to == ["booked@example.org"]).subject


def test_the_honeypot_gets_the_usual_answer_and_books_nothing(client, make_event, book):
    event = make_event()
    robot = book(event, "robot@example.org", website="http://spam.example", follow=True)
    assert robot.status_code == 200 and "Check your email" in robot.content.decode()
    assert not Booking.objects.exists() and not mail.outbox


def test_the_honeypot_is_hidden_from_people(client, make_event):
    page = client.get(make_event().get_absolute_url()).content.decode()
    assert '<div hidden><label for="id_website">' in page


def test_too_many_requests_from_one_address_get_429(client, make_event, book):
    event = make_event()
    for n in range(abuse.PER_ADDRESS):
        assert book(event, f"person{n}@example.org").status_code == 302
    assert book(event, "one-more@example.org").status_code == 429
    assert Booking.objects.count() == abuse.PER_ADDRESS


def test_one_email_address_is_not_flooded_and_the_visitor_cannot_tell(client, make_event, book):
    event = make_event()
    for _ in range(abuse.PER_EMAIL + 3):
        response = book(event, "victim@example.org", follow=True)
        assert "Check your email" in response.content.decode()
    assert len(mail.outbox) == abuse.PER_EMAIL


def test_a_cache_outage_lets_booking_work(client, make_event, book):
    event = make_event()
    with mock.patch("events.abuse.cache.incr", side_effect=ConnectionError("cache down")):
        response = book(event, "sam@example.org", follow=True)
    assert "Check your email" in response.content.decode()
    assert Booking.objects.count() == 1 and len(mail.outbox) == 1


def test_bad_input_says_what_and_where_and_books_nothing(client, make_event, book):
    event = make_event()
    response = book(event, "not-an-email", name="")
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and "Enter your name" in page
    assert "Enter an email address in the correct format" in page
    assert not Booking.objects.exists() and not mail.outbox
