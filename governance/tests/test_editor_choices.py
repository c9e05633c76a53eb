"""A chair's editor forms accept only the choices they offered: another group's ids are refused.

Every editor form of the chairs' pages is posted with ids that belong to another group; nothing of
the other group is linked or changed, and the answer never says whether such an item is exempt.
"""

import pytest
from django.utils import timezone

from conftest import make_user
from governance.forms import ActionForm, MeetingForm
from governance.models import Action, AgendaItem, Attendance, Meeting, MinutesStatus

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_groups(personas):
    own = factories.group(chair=personas.chair)
    other_chair = make_user("other.chair@example.org", ["Subgroup chair"])
    other = factories.group(name="Finance", slug="finance", chair=other_chair)
    mine = factories.meeting(own, days=-30, minutes_status=MinutesStatus.PUBLISHED)
    factories.meeting(own, days=-2)  # a later meeting of the chair's own group: a valid approval
    theirs = factories.meeting(other, days=-1)
    exempt = AgendaItem.objects.create(meeting=theirs, order=1, title="Staffing", body="x", is_exempt=True,
                                       exempt_paragraph=1)
    open_item = AgendaItem.objects.create(meeting=theirs, order=2, title="Budget", body="y")
    Attendance.objects.create(meeting=theirs, name="Sam Other", status="present")
    Action.objects.create(meeting=theirs, description="Their action", owner="Them")
    return {"mine": mine, "theirs": theirs, "exempt": exempt, "open_item": open_item}


def meeting_post(meeting, **extra):
    local = timezone.localtime(meeting.starts_at)
    return {"date": local.date().isoformat(), "start_time": local.strftime("%H:%M"), "place": "Civic Offices",
            "status": "held", **extra}


def test_meeting_form_refuses_another_groups_meeting_as_the_approving_meeting(two_groups):
    mine, theirs = two_groups["mine"], two_groups["theirs"]
    form = MeetingForm(meeting_post(mine, approved_at_meeting=theirs.pk), instance=mine, group=mine.group)
    assert not form.is_valid()
    assert "approved_at_meeting" in form.errors


def test_action_form_refuses_another_groups_agenda_item_exempt_or_not(two_groups):
    mine = two_groups["mine"]
    for item in (two_groups["exempt"], two_groups["open_item"]):
        form = ActionForm({"description": "Do it", "owner": "Me", "status": "open", "agenda_item": item.pk},
                          meeting=mine)
        assert not form.is_valid()
        assert "agenda_item" in form.errors


def test_every_editor_page_refuses_another_groups_ids(client_for, two_groups):
    chair = client_for("chair")
    mine, theirs = two_groups["mine"], two_groups["theirs"]
    exempt, open_item = two_groups["exempt"], two_groups["open_item"]
    # Approving minutes at another group's meeting: refused with the same message as any bad choice.
    response = chair.post(f"/governance/manage/meetings/{mine.pk}/details/",
                          meeting_post(mine, approved_at_meeting=theirs.pk))
    assert response.status_code == 200 and "approved_at_meeting" in response.context["form"].errors
    mine.refresh_from_db()
    assert mine.approved_at_meeting_id is None and mine.minutes_status == MinutesStatus.PUBLISHED
    # Linking an action to another group's item (exempt or not): refused, the same answer for both.
    answers = set()
    for item in (exempt, open_item):
        response = chair.post(f"/governance/manage/meetings/{mine.pk}/actions/new/",
                              {"description": "Do it", "owner": "Me", "status": "open", "agenda_item": item.pk})
        assert response.status_code == 200
        answers.add(str(response.context["form"].errors["agenda_item"]))
    assert len(answers) == 1
    assert not Action.objects.filter(meeting=mine).exists()
    # Addresses naming another group's records from the chair's own meeting: not found.
    action = Action.objects.get(meeting=theirs)
    attendance = Attendance.objects.get(meeting=theirs)
    for url, data in (
        (f"/governance/manage/meetings/{mine.pk}/items/{open_item.pk}/", {"order": 1, "title": "Mine", "body": "z"}),
        (f"/governance/manage/meetings/{mine.pk}/items/{exempt.pk}/delete/", {}),
        (f"/governance/manage/meetings/{mine.pk}/actions/{action.pk}/",
         {"description": "Mine", "owner": "Me", "status": "done"}),
        (f"/governance/manage/meetings/{mine.pk}/attendance/{attendance.pk}/delete/", {}),
        (f"/governance/manage/meetings/{mine.pk}/items/{exempt.pk}/attachments/", {}),
        (f"/governance/manage/meetings/{theirs.pk}/details/", meeting_post(theirs)),
        (f"/governance/manage/meetings/{theirs.pk}/attendance/", {"attendance-name": "X", "attendance-status": "present"}),
        (f"/governance/manage/meetings/{theirs.pk}/items/new/", {"order": 3, "title": "Mine", "body": "z"}),
        (f"/governance/manage/meetings/{theirs.pk}/actions/new/", {"description": "x", "owner": "y", "status": "open"}),
        (f"/governance/manage/meetings/{theirs.pk}/publish/", {}),
        ("/governance/manage/finance/meetings/new/", meeting_post(theirs)),
    ):
        assert chair.post(url, data).status_code == 404, url
    assert AgendaItem.objects.filter(meeting=theirs).count() == 2
    assert Attendance.objects.filter(meeting=theirs).count() == 1
    assert Action.objects.get(pk=action.pk).status == "open"
    assert Meeting.objects.filter(group=theirs.group).count() == 1
    assert Meeting.objects.filter(group=mine.group).count() == 2
    assert not AgendaItem.objects.filter(meeting=mine).exists()
