import datetime

import pytest
from django.utils import timezone


@pytest.fixture
def make_event(db):
    from events.models import Event, EventKind

    def make(days=30, capacity=10, published=True, **extra):
        starts = timezone.now() + datetime.timedelta(days=days)
        fields = {
            "title": "Workshop: reducing persistent absence", "kind": EventKind.WORKSHOP, "starts_at": starts,
            "ends_at": starts + datetime.timedelta(hours=3), "place": "Civic Offices, Room 2", "capacity": capacity,
            "booking_deadline": starts - datetime.timedelta(days=1), "is_published": published,
            "summary": "Practical approaches.", "description": "Bring **your figures**.",
        }
        fields.update(extra)
        return Event.objects.create(**fields)

    return make


@pytest.fixture
def book(client):
    """book(event, email) -> the response to the public booking form, as a visitor posts it."""

    def post(event, email, name="Sam Patel", organisation="Ashby Primary", website="", **kwargs):
        data = {"name": name, "email": email, "organisation": organisation, "website": website}
        return client.post(event.get_absolute_url(), data, **kwargs)

    return post


def link(message, kind):
    """The URL of the confirm or cancel link in an email."""
    import re

    found = re.findall(rf"http\S+/events/bookings/\S+/{kind}/", message.body)
    assert found, f"no {kind} link in: {message.body}"
    return "/events/" + found[0].split("/events/", 1)[1]
