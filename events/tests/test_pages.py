"""Public event pages and the iCalendar feed; the home page's upcoming events; Markdown sanitised."""

import pytest
from django.utils import timezone
from icalendar import Calendar

pytestmark = pytest.mark.django_db


def test_the_list_shows_published_upcoming_events_only(client, make_event):
    make_event(title="Annual conference")
    make_event(title="Secret draft", published=False)
    make_event(title="Last year's training", days=-30, booking_deadline=timezone.now())
    page = client.get("/events/").content.decode()
    assert "Annual conference" in page and "10 of 10 left" in page
    assert "Secret draft" not in page
    assert "Last year&#x27;s training" in page.split("Past events")[1]


def test_an_event_page_shows_its_facts_and_a_booking_form(client, make_event):
    event = make_event(online_url="https://meet.example.org/x")
    page = client.get(f"/events/{event.pk}/").content.decode()
    assert "Workshop: reducing persistent absence" in page
    assert "<strong>your figures</strong>" in page
    assert 'name="email"' in page and "Book a place" in page
    assert "https://meet.example.org/x" in page


def test_a_full_event_offers_the_waiting_list(client, make_event):
    from events.models import Booking, BookingStatus

    event = make_event(capacity=1)
    Booking.objects.create(event=event, name="A", email="a@example.org", status=BookingStatus.CONFIRMED)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Join the waiting list" in page and "Full (1 places)" in page


def test_a_draft_is_not_found_by_visitors(client, make_event):
    assert client.get(make_event(published=False).get_absolute_url()).status_code == 404


def test_markdown_is_sanitised(client, make_event):
    event = make_event(description='<script>alert(1)</script>[x](javascript:alert(1)) <img src=x onerror=alert(1)>')
    page = client.get(event.get_absolute_url()).content.decode()
    assert "<script>alert" not in page and "javascript:" not in page and "onerror" not in page


def test_the_icalendar_feed_lists_upcoming_published_events(client, make_event):
    event = make_event(title="Annual conference")
    make_event(title="Secret draft", published=False)
    response = client.get("/events.ics")
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    events = [c for c in cal.walk("VEVENT")]
    assert [str(e["SUMMARY"]) for e in events] == ["Annual conference"]
    assert str(events[0]["URL"]).endswith(f"/events/{event.pk}/")
    assert events[0].decoded("DTSTART") == event.starts_at.replace(microsecond=0)


def test_the_home_page_shows_upcoming_events(client, make_event):
    make_event(title="Annual conference")
    page = client.get("/").content.decode()
    assert "Upcoming events" in page and "Annual conference" in page
