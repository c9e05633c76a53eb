"""Editors (admins and communications editors): add an event, see its bookings, export them as a
formula-safe CSV, mark attendance. Everyone else gets 404."""

import pytest
from django.utils import timezone

from conftest import make_user, sign_in
from events.models import Booking, BookingStatus, Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    return sign_in(client, make_user("editor@example.org", ["Communications editor"]))


def test_a_communications_editor_reaches_every_editor_page(editor, make_event):
    event = make_event()
    for url in ("/events/manage/", "/events/manage/new/", f"/events/manage/{event.pk}/",
                f"/events/manage/{event.pk}/bookings/", f"/events/manage/{event.pk}/bookings.csv"):
        assert editor.get(url).status_code == 200, url


def test_other_signed_in_users_get_404(client, make_event):
    event = make_event()
    sign_in(client, make_user("head@example.org", ["School leader", "Subgroup chair", "LA officer"], totp=True))
    for url in ("/events/manage/", f"/events/manage/{event.pk}/bookings/", f"/events/manage/{event.pk}/bookings.csv"):
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url


def test_an_editor_adds_an_event_and_bad_input_is_explained(editor):
    data = {"title": "Network meeting: maths leads", "kind": "network", "starts_at": "2027-03-04T09:30",
            "ends_at": "2027-03-04T08:00", "place": "", "online_url": "", "summary": "", "description": "",
            "capacity": "0", "booking_deadline": "2027-03-05T09:00", "is_published": "on"}
    response = editor.post("/events/manage/new/", data)
    assert response.status_code == 400
    page = response.content.decode()
    for message in ("The end must be after the start", "Booking must close before the event starts",
                    "Enter a place, an online link, or both", "Enter how many places there are: at least 1"):
        assert message in page
    assert not Event.objects.exists()
    data.update(ends_at="2027-03-04T12:00", booking_deadline="2027-03-01T17:00", place="Civic Offices", capacity="40")
    assert editor.post("/events/manage/new/", data).status_code == 302
    event = Event.objects.get()
    assert event.is_published and event.capacity == 40
    assert timezone.localtime(event.starts_at).strftime("%Y-%m-%d %H:%M") == "2027-03-04 09:30"


def test_the_csv_export_escapes_formulas_and_leaves_out_unconfirmed_emails(editor, make_event):
    event = make_event()
    Booking.objects.create(event=event, name="=HYPERLINK(\"http://evil\")", email="a@example.org",
                           organisation="+44 school", status=BookingStatus.CONFIRMED, confirmed_at=timezone.now())
    Booking.objects.create(event=event, name="Pending Person", email="p@example.org")
    response = editor.get(f"/events/manage/{event.pk}/bookings.csv")
    assert response["Content-Disposition"] == f'attachment; filename="event-{event.pk}-bookings.csv"'
    body = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK" in body and "'+44 school" in body
    assert "Pending Person" not in body


def test_attendance_marks_only_this_events_confirmed_bookings(editor, make_event):
    event, other = make_event(), make_event(title="Other")
    mine = Booking.objects.create(event=event, name="A", email="a@example.org", status=BookingStatus.CONFIRMED)
    absent = Booking.objects.create(event=event, name="B", email="b@example.org", status=BookingStatus.CONFIRMED)
    theirs = Booking.objects.create(event=other, name="C", email="c@example.org", status=BookingStatus.CONFIRMED)
    response = editor.post(f"/events/manage/{event.pk}/bookings/", {"attended": [mine.pk, theirs.pk, "x"]})
    assert response.status_code == 302
    assert Booking.objects.get(pk=mine.pk).attended is True
    assert Booking.objects.get(pk=absent.pk).attended is False
    assert Booking.objects.get(pk=theirs.pk).attended is None
