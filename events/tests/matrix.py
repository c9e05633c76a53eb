"""Events for the shared world, and every events URL with the status each persona gets.

world.event_open is published with a confirmed booking (world.booking_open); world.event_draft is a
draft only editors see. Editors are partnership admins and communications editors (no persona holds
the communications role: events/tests/test_editors.py covers it).
"""

import datetime

from django.utils import timezone

from tests.world import Route

PERSONAS = ("anonymous", "school_leader", "trust_leader", "chair", "officer", "admin")
PUBLIC = {p: 200 for p in PERSONAS}
EDITORS = {"anonymous": "login", "school_leader": 404, "trust_leader": 404, "chair": 404, "officer": 404, "admin": 200}
DRAFT = {**{p: 404 for p in PERSONAS}, "admin": 200}


def setup(world):
    from events.models import Booking, BookingStatus, Event, EventKind

    starts = timezone.now() + datetime.timedelta(days=30)
    common = {"ends_at": starts + datetime.timedelta(hours=3), "booking_deadline": starts - datetime.timedelta(days=1)}
    world.event_open = Event.objects.create(
        title="Matrix workshop", kind=EventKind.WORKSHOP, starts_at=starts, place="Civic Offices", capacity=10,
        description="A **workshop**.", is_published=True, **common,
    )
    world.event_draft = Event.objects.create(
        title="Matrix draft event", starts_at=starts, place="Civic Offices", capacity=10, **common
    )
    world.booking_open = Booking.objects.create(
        event=world.event_open, name="Pat Booker", email="pat@example.org", organisation="Ashby Primary",
        status=BookingStatus.CONFIRMED, confirmed_at=timezone.now(),
    )


def _open(w):
    return {"pk": w.event_open.pk}


def _token(w):
    return {"token": w.booking_open.token}


ROUTES = [
    Route("events:list", expect=PUBLIC, a11y="anonymous"),
    Route("events:list", expect=PUBLIC, a11y="admin"),
    Route("events:ics", expect=PUBLIC),
    Route("events:detail", _open, PUBLIC, a11y="anonymous"),
    Route("events:detail", lambda w: {"pk": w.event_draft.pk}, DRAFT, a11y="admin"),
    # The email links: anyone holding the token (it is the secret); an unknown token is 404.
    Route("events:confirm", _token, PUBLIC, a11y="anonymous"),
    Route("events:cancel", _token, PUBLIC, a11y="anonymous"),
    Route("events:cancel", lambda w: {"token": "no-such-token"}, {p: 404 for p in PERSONAS}),
    # Editors' pages.
    Route("events:manage", expect=EDITORS, a11y="admin"),
    Route("events:new", expect=EDITORS, a11y="admin"),
    Route("events:edit", _open, EDITORS, a11y="admin"),
    Route("events:bookings", _open, EDITORS, a11y="admin"),
    Route("events:bookings_csv", _open, EDITORS),
]
