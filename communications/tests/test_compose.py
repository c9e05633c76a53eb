"""The bulletin's pre-filled first draft: each section lists only public things, with links."""

import datetime

import pytest
from django.utils import timezone

from communications import compose
from communications.emails import absolute
from communications.models import NewsPost
from events.models import Booking, BookingStatus

pytestmark = pytest.mark.django_db


def book(event, n, status=BookingStatus.CONFIRMED):
    Booking.objects.bulk_create(
        Booking(event=event, name=f"P{i}", email=f"p{i}-{event.pk}@example.net", status=status) for i in range(n)
    )


def test_coming_events_lists_published_upcoming_bookable_events_with_links_and_places(make_event):
    conference = make_event(days=40, title="Annual conference", capacity=100, place="Guildhall")
    full = make_event(days=10, title="Phonics workshop", capacity=2)
    book(full, 2)
    book(conference, 3)
    book(conference, 4, status=BookingStatus.CANCELLED)  # cancelled bookings free their places
    make_event(days=5, title="Planning day draft", published=False)
    make_event(days=-3, title="Held last week")
    make_event(days=3, title="Booking closed", booking_deadline=timezone.now() - datetime.timedelta(hours=1))
    _, body = compose.draft()
    section = body.split("## Coming events", 1)[1].split("##", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("- ")]
    assert [line.split("]")[0][3:] for line in lines] == ["Phonics workshop", "Annual conference"]  # soonest first
    assert f"({absolute(conference.get_absolute_url())})" in lines[1]
    assert "Guildhall; 97 places left" in lines[1]
    assert "fully booked: join the waiting list" in lines[0]
    assert "Book by" in lines[0]
    for hidden in ("Planning day draft", "Held last week", "Booking closed"):
        assert hidden not in body


def test_the_sections_come_in_order_and_the_editor_sees_them_pre_filled(make_event, client_for):
    NewsPost.objects.create(title="Fair opens", slug="fair", summary="S", body="B", status=NewsPost.Status.PUBLISHED,
                            published_at=timezone.now() - datetime.timedelta(hours=2))
    make_event(days=12, title="Workshop: breakfast clubs")
    _, body = compose.draft()
    assert body.index("## Latest news") < body.index("## Coming events")
    form = client_for("admin").get("/bulletin/manage/new/").content.decode()
    assert "## Coming events" in form and "Workshop: breakfast clubs" in form


def test_with_no_bookable_event_the_section_is_left_out(make_event):
    make_event(days=-1, title="Over")
    assert "Coming events" not in compose.draft()[1]
