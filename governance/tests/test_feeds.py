import datetime
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from governance.models import AgendaItem, MeetingStatus, MinutesStatus
from tests.world import CANARY_EXEMPT

from . import factories

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def meetings():
    board = factories.group(name="Strategic Board", slug="strategic-board")
    other = factories.group(name="Inclusion", slug="inclusion")
    # 10:00 London time in December (GMT) and in June (BST, UTC+1).
    tz = timezone.get_current_timezone()
    year = timezone.localdate().year + 1
    winter = factories.meeting(board, place="Civic Offices")
    winter.starts_at = datetime.datetime(year, 12, 3, 10, 0, tzinfo=tz)
    winter.ends_at = datetime.datetime(year, 12, 3, 11, 30, tzinfo=tz)
    winter.save()
    summer = factories.meeting(other, place="", online_url="https://meet.example.org/inc")
    summer.starts_at = datetime.datetime(year, 6, 10, 10, 0, tzinfo=tz)
    summer.save()
    AgendaItem.objects.create(meeting=winter, order=1, title="Budget for next year")
    AgendaItem.objects.create(
        meeting=winter,
        order=2,
        title=f"Staffing {CANARY_EXEMPT}",
        body=CANARY_EXEMPT,
        is_exempt=True,
        exempt_paragraph=1,
    )
    past = factories.meeting(
        board,
        days=-30,
        status=MeetingStatus.HELD,
        minutes_status=MinutesStatus.PUBLISHED,
        minutes_published_at=timezone.now() - datetime.timedelta(days=20),
    )
    AgendaItem.objects.create(meeting=past, order=1, title="Attendance", body="Attendance *rose*.")
    AgendaItem.objects.create(
        meeting=past,
        order=2,
        title=f"Case {CANARY_EXEMPT}",
        body=CANARY_EXEMPT,
        decision=CANARY_EXEMPT,
        is_exempt=True,
        exempt_paragraph=3,
    )
    draft = factories.meeting(other, days=-10, status=MeetingStatus.HELD)
    AgendaItem.objects.create(meeting=draft, order=1, title="Draft only", body="Not yet public.")
    return {"winter": winter, "summer": summer, "past": past, "draft": draft}


def test_the_calendar_of_upcoming_meetings_parses_with_correct_times(meetings):
    response = Client().get("/governance/meetings.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert CANARY_EXEMPT not in response.content.decode()
    cal = Calendar.from_ical(response.content)
    events = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    assert len(events) == 2, "only upcoming meetings"
    winter = events[f"meeting-{meetings['winter'].pk}@testserver"]
    start, end = winter.decoded("dtstart"), winter.decoded("dtend")
    assert start == datetime.datetime(start.year, 12, 3, 10, 0, tzinfo=datetime.UTC)
    assert end - start == datetime.timedelta(minutes=90)
    summer = events[f"meeting-{meetings['summer'].pk}@testserver"]
    assert summer.decoded("dtstart").astimezone(datetime.UTC).hour == 9, "10:00 BST is 09:00 UTC"
    assert str(winter["summary"]) == "Strategic Board meeting" and str(winter["location"]) == "Civic Offices"
    assert str(summer["location"]) == "Online"
    assert str(winter["url"]).endswith(f"/governance/meetings/{meetings['winter'].pk}/")
    assert "Budget for next year" in str(winter["description"])
    assert "Staffing" not in str(winter["description"])


def test_the_group_calendar_has_only_that_groups_meetings(meetings):
    cal = Calendar.from_ical(Client().get("/governance/inclusion/meetings.ics").content)
    assert [str(e["uid"]) for e in cal.walk("VEVENT")] == [f"meeting-{meetings['summer'].pk}@testserver"]
    assert Client().get("/governance/nope/meetings.ics").status_code == 404


def test_a_cancelled_meeting_stays_in_the_calendar_marked_cancelled(meetings):
    meetings["summer"].status = MeetingStatus.CANCELLED
    meetings["summer"].save()
    cal = Calendar.from_ical(Client().get("/governance/inclusion/meetings.ics").content)
    assert [str(e["status"]) for e in cal.walk("VEVENT")] == ["CANCELLED"]


def test_the_minutes_feed_is_atom_with_public_items_only(meetings):
    response = Client().get("/governance/minutes.atom")
    assert response.status_code == 200 and "atom" in response["Content-Type"]
    text = response.content.decode()
    assert CANARY_EXEMPT not in text
    root = ET.fromstring(response.content)  # noqa: S314 - the portal's own response
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 1, "published minutes only, not the draft"
    entry = entries[0]
    assert entry.find(f"{ATOM}link").get("href").endswith(f"/governance/meetings/{meetings['past'].pk}/")
    summary = entry.find(f"{ATOM}summary").text
    assert "Attendance <em>rose</em>." in summary
    assert "Exempt item under paragraph 3 of Schedule 12A" in summary
    assert entry.find(f"{ATOM}updated") is not None and entry.find(f"{ATOM}id") is not None
