"""The last place under concurrent confirmations, on PostgreSQL: the event row is locked
(select_for_update), so however many bookers follow their links at once, capacity holds."""

import threading

import pytest
from django.db import connection, connections

from events import bookings
from events.models import Booking, BookingStatus

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_concurrent_confirmations_never_overbook(make_event):
    if connection.vendor != "postgresql":
        pytest.fail("run with DATABASE_URL=postgres://... (the PostgreSQL pass)")
    event = make_event(capacity=3)
    tokens = [Booking.objects.create(event=event, name=f"P{n}", email=f"p{n}@example.org").token for n in range(12)]
    start = threading.Barrier(len(tokens))
    errors = []

    def confirm(token):
        try:
            start.wait()
            bookings.confirm(token)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm, args=(t,)) for t in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    counts = {s: Booking.objects.filter(status=s).count() for s in (BookingStatus.CONFIRMED, BookingStatus.WAITING)}
    assert counts == {BookingStatus.CONFIRMED: 3, BookingStatus.WAITING: 9}
    queued = list(Booking.objects.filter(status=BookingStatus.WAITING).values_list("queued_at", flat=True))
    assert all(queued)
