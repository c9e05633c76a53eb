import io

import pytest
from django.test import Client

from governance import demo
from governance.models import AgendaItem, Group, Meeting, Membership, MinutesStatus

pytestmark = pytest.mark.django_db


def counts():
    return (
        Group.objects.count(),
        Meeting.objects.count(),
        AgendaItem.objects.count(),
        Membership.objects.count(),
        Meeting.objects.filter(minutes_status=MinutesStatus.APPROVED).count(),
    )


def test_the_demo_builds_a_board_with_subgroups_and_a_year_of_meetings_once():
    demo.load(io.StringIO())
    first = counts()
    demo.load(io.StringIO())
    assert counts() == first, "loading twice changes nothing"
    board = Group.objects.get(slug="strategic-board")
    assert board.children.count() >= 9
    assert Meeting.objects.upcoming().exists() and Meeting.objects.with_public_minutes().count() >= 30
    exempt = AgendaItem.objects.get(is_exempt=True)
    assert exempt.exempt_paragraph == 3 and exempt.meeting.minutes_are_public
    chair = Group.objects.get(slug="school-improvement").current_chairs()[0].user
    assert chair.email.endswith("@demo.example.org") and chair.email != "admin@demo.example.org"
    assert set(chair.groups.values_list("name", flat=True)) == {"Subgroup chair", "School leader"}


def test_the_home_page_lists_upcoming_meetings_and_latest_minutes():
    demo.load(io.StringIO())
    page = Client().get("/").content.decode()
    assert "Upcoming meetings" in page and "Latest published minutes" in page
    latest = Meeting.objects.with_public_minutes().order_by("-minutes_published_at").first()
    assert latest.get_absolute_url() in page
    assert "Support for two schools" not in page
