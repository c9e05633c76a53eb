"""A chair's work from start to finish, as the test client sees it, and who sees what afterwards."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from governance.models import AgendaItem, EditLog, Meeting, MinutesStatus
from governance.permissions import can_edit, can_see_exempt
from tests.world import CANARY_EXEMPT

from . import factories

pytestmark = pytest.mark.django_db


def errors_of(response):
    return response.context["form"].errors if response.context and "form" in response.context else None


def test_it_takes_a_chair_from_a_new_meeting_to_published_minutes(client_for, personas):
    group = factories.group(chair=personas.chair)
    chair = client_for("chair")
    day = (timezone.localdate() - datetime.timedelta(days=3)).isoformat()

    # The chair's list of groups offers a new meeting for their group.
    page = chair.get("/governance/manage/")
    assert page.status_code == 200 and "/governance/manage/inclusion/meetings/new/" in page.text

    # Bad input first: no place or link, end before start -> the error summary names both.
    response = chair.post(
        "/governance/manage/inclusion/meetings/new/",
        {"date": day, "start_time": "16:00", "end_time": "15:00", "status": "held"},
    )
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Enter a place or an online meeting link" in response.text
    assert "The end time must be after the start time" in response.text

    response = chair.post(
        "/governance/manage/inclusion/meetings/new/",
        {"date": day, "start_time": "16:00", "end_time": "17:30", "place": "Civic Offices", "status": "held"},
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(group=group)
    assert timezone.localtime(meeting.starts_at).strftime("%H:%M") == "16:00"
    assert meeting.minutes_status == MinutesStatus.DRAFT

    base = f"/governance/manage/meetings/{meeting.pk}"
    assert (
        chair.post(
            f"{base}/attendance/",
            {"attendance-name": "Pat Jones", "attendance-capacity": "Head", "attendance-status": "present"},
        ).status_code
        == 302
    )
    assert (
        chair.post(
            f"{base}/items/new/",
            {
                "order": 1,
                "title": "Attendance this term",
                "body": "Attendance **improved** in every phase.",
                "decision": "The group noted the figures.",
            },
        ).status_code
        == 302
    )
    # An exempt item without its paragraph is refused with a message.
    response = chair.post(
        f"{base}/items/new/",
        {"order": 2, "title": f"School case {CANARY_EXEMPT}", "body": f"Details {CANARY_EXEMPT}", "is_exempt": "on"},
    )
    assert response.status_code == 200
    assert "Choose the paragraph of Schedule 12A that makes the item exempt" in response.text
    assert (
        chair.post(
            f"{base}/items/new/",
            {
                "order": 2,
                "title": f"School case {CANARY_EXEMPT}",
                "body": f"Details {CANARY_EXEMPT}",
                "decision": f"Agreed {CANARY_EXEMPT}",
                "is_exempt": "on",
                "exempt_paragraph": "3",
                "public_interest_note": "Business affairs of a school.",
            },
        ).status_code
        == 302
    )
    exempt = AgendaItem.objects.get(meeting=meeting, is_exempt=True)
    assert (
        chair.post(
            f"{base}/actions/new/",
            {
                "description": f"Visit the school {CANARY_EXEMPT}",
                "owner": "Officer",
                "status": "open",
                "agenda_item": exempt.pk,
            },
        ).status_code
        == 302
    )
    assert (
        chair.post(
            f"{base}/actions/new/",
            {"description": "Share the attendance figures", "owner": "Chair", "status": "open", "due_on": "2027-01-31"},
        ).status_code
        == 302
    )

    # Before publishing the public sees the agenda's public titles but no minutes text.
    anonymous = Client()
    public = anonymous.get(f"/governance/meetings/{meeting.pk}/")
    assert "Attendance this term" in public.text and "improved" not in public.text
    assert "Not yet published" in public.text and CANARY_EXEMPT not in public.text

    # The preview shows exactly the public page as it will be, exempt item as its notice only.
    preview = chair.get(f"{base}/preview/")
    assert preview.status_code == 200
    assert "<strong>improved</strong>" in preview.text
    assert "Exempt item under paragraph 3 of Schedule 12A of the Local Government Act 1972" in preview.text
    assert CANARY_EXEMPT not in preview.text
    assert f'action="{base}/publish/"' in preview.text

    # Publishing is a POST from the preview; a GET only leads back to the preview.
    assert chair.get(f"{base}/publish/")["Location"] == f"{base}/preview/"
    assert Meeting.objects.get(pk=meeting.pk).minutes_status == MinutesStatus.DRAFT
    response = chair.post(f"{base}/publish/")
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.PUBLISHED and meeting.minutes_published_by == personas.chair

    # Anonymous: the public items and the exempt notice, and nothing of the exempt item.
    public = anonymous.get(f"/governance/meetings/{meeting.pk}/")
    assert "<strong>improved</strong>" in public.text and "The group noted the figures." in public.text
    assert "Share the attendance figures" in public.text and "Pat Jones" in public.text
    assert "Exempt item under paragraph 3 of Schedule 12A of the Local Government Act 1972" in public.text
    assert CANARY_EXEMPT not in public.text and "School case" not in public.text
    # The preview matched the published page.
    assert _minutes_section(public.text) == _minutes_section(preview.text)

    # An officer, an admin and the chair see the exempt item in full.
    for persona in ("officer", "admin", "chair"):
        page = client_for(persona).get(f"/governance/meetings/{meeting.pk}/")
        assert f"School case {CANARY_EXEMPT}" in page.text and f"Agreed {CANARY_EXEMPT}" in page.text, persona
        assert f"Visit the school {CANARY_EXEMPT}" in page.text
    # A school leader who is not on the group sees what the public sees.
    assert CANARY_EXEMPT not in client_for("school_leader").get(f"/governance/meetings/{meeting.pk}/").text


def _minutes_section(html):
    # From the attendance to the end of the shared meeting template (templates/governance/_meeting_body.html).
    return html[html.index('<h2 class="govuk-heading-l">Attendance</h2>') : html.index("<!-- /meeting -->")]


def test_a_chair_of_one_group_gets_404_on_another(client_for, personas):
    mine = factories.group(chair=personas.chair)
    other = factories.group(name="Early Years", slug="early-years")
    meeting = factories.meeting(other)
    item = AgendaItem.objects.create(meeting=meeting, order=1, title="Their item")
    chair = client_for("chair")
    assert chair.get("/governance/manage/early-years/meetings/new/").status_code == 404
    for url in (
        f"/governance/manage/meetings/{meeting.pk}/",
        f"/governance/manage/meetings/{meeting.pk}/details/",
        f"/governance/manage/meetings/{meeting.pk}/items/{item.pk}/",
        f"/governance/manage/meetings/{meeting.pk}/preview/",
    ):
        assert chair.get(url).status_code == 404, url
    assert (
        chair.post(
            f"/governance/manage/meetings/{meeting.pk}/items/{item.pk}/", {"order": 1, "title": "Hijacked"}
        ).status_code
        == 404
    )
    assert chair.post(f"/governance/manage/meetings/{meeting.pk}/publish/").status_code == 404
    assert (
        chair.post(
            "/governance/manage/early-years/meetings/new/",
            {"date": "2027-01-01", "start_time": "10:00", "place": "X", "status": "planned"},
        ).status_code
        == 404
    )
    item.refresh_from_db()
    assert item.title == "Their item" and not Meeting.objects.filter(group=other).exclude(pk=meeting.pk).exists()
    assert can_edit(personas.chair, mine) and not can_edit(personas.chair, other)
    assert can_edit(personas.admin, other) and not can_edit(personas.officer, other)


def test_a_chair_who_loses_the_chair_role_cannot_edit(client_for, personas):
    group = factories.group(chair=personas.chair)
    meeting = factories.meeting(group)
    personas.chair.groups.clear()
    assert client_for("chair").get(f"/governance/manage/meetings/{meeting.pk}/").status_code == 404


def test_exempt_items_are_for_officers_admins_and_the_groups_own_members(personas):
    from governance.models import MemberRole, Membership

    group = factories.group(chair=personas.chair)
    assert can_see_exempt(personas.chair, group) and can_see_exempt(personas.officer, group)
    assert can_see_exempt(personas.admin, group)
    assert not can_see_exempt(personas.school_leader, group)
    Membership.objects.create(
        group=group,
        user=personas.school_leader,
        role=MemberRole.MEMBER,
        ends_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    assert not can_see_exempt(personas.school_leader, group), "a past member no longer sees exempt items"
    Membership.objects.create(group=group, user=personas.trust_leader, role=MemberRole.MEMBER)
    assert can_see_exempt(personas.trust_leader, group)


def test_it_records_edits_made_after_publishing(client_for, personas):
    group = factories.group(chair=personas.chair)
    meeting = factories.meeting(group, status="held")
    item = AgendaItem.objects.create(meeting=meeting, order=1, title="Budget", body="Draft text.")
    chair = client_for("chair")
    base = f"/governance/manage/meetings/{meeting.pk}"
    # Edits to a draft are not logged.
    chair.post(f"{base}/items/{item.pk}/", {"order": 1, "title": "Budget", "body": "Better draft text."})
    assert not EditLog.objects.exists()
    chair.post(f"{base}/publish/")
    chair.post(f"{base}/items/{item.pk}/", {"order": 1, "title": "Budget 2027", "body": "Corrected text."})
    chair.post(f"{base}/attendance/", {"attendance-name": "Late Comer", "attendance-status": "present"})
    admin = client_for("admin")
    admin.post(f"{base}/items/new/", {"order": 2, "title": "Added later", "body": "x"})
    log = list(EditLog.objects.filter(meeting=meeting).order_by("at", "pk"))
    assert [entry.user for entry in log] == [personas.chair, personas.chair, personas.admin]
    assert (
        "Changed agenda item 1 “Budget”" in log[0].what
        and "title" in log[0].what
        and "minutes of the item" in log[0].what
    )
    assert "Late Comer" in log[1].what and "Added agenda item 2 “Added later”" in log[2].what
    assert all(entry.at <= timezone.now() for entry in log)
    # The editor lists the changes; the public page says the minutes were amended, without the details.
    editor = chair.get(f"{base}/")
    assert "Changes since publication" in editor.text and "Late Comer" in editor.text
    public = Client().get(f"/governance/meetings/{meeting.pk}/")
    assert "Amended after publication" in public.text and "Corrected text." in public.text


def test_the_upload_page_still_checks_csrf(personas):
    group = factories.group(chair=personas.chair)
    meeting = factories.meeting(group)
    item = AgendaItem.objects.create(meeting=meeting, order=1, title="Budget")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(personas.chair)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = strict.post(
        f"/governance/manage/meetings/{meeting.pk}/items/{item.pk}/attachments/",
        {"attachment-file": SimpleUploadedFile("a.txt", b"hello")},
    )
    assert response.status_code == 403


def test_minutes_are_approved_as_a_correct_record_at_a_later_meeting(client_for, personas):
    group = factories.group(chair=personas.chair)
    earlier = factories.meeting(group, days=-60, status="held")
    AgendaItem.objects.create(meeting=earlier, order=1, title="Budget", body="Agreed.")
    later = factories.meeting(group, days=-2, status="held")
    chair = client_for("chair")
    chair.post(f"/governance/manage/meetings/{earlier.pk}/publish/")
    local = timezone.localtime(earlier.starts_at)
    response = chair.post(
        f"/governance/manage/meetings/{earlier.pk}/details/",
        {
            "date": local.date().isoformat(),
            "start_time": local.strftime("%H:%M"),
            "place": "Civic Offices",
            "status": "held",
            "approved_at_meeting": later.pk,
        },
    )
    assert response.status_code == 302
    earlier.refresh_from_db()
    assert earlier.minutes_status == MinutesStatus.APPROVED and earlier.approved_at_meeting == later
    page = Client().get(f"/governance/meetings/{earlier.pk}/").text
    assert "approved as a correct record at the" in page and later.get_absolute_url() in page
    assert earlier.get_absolute_url() in Client().get(later.get_absolute_url()).text
    assert "approved at the meeting" not in EditLog.objects.get(meeting=earlier).what  # logged as a detail change
    assert "minutes approved as a correct record at" in EditLog.objects.get(meeting=earlier).what


def test_minutes_of_a_meeting_yet_to_happen_cannot_be_published(client_for, personas):
    group = factories.group(chair=personas.chair)
    meeting = factories.meeting(group, days=7)
    AgendaItem.objects.create(meeting=meeting, order=1, title="Welcome")
    chair = client_for("chair")
    preview = chair.get(f"/governance/manage/meetings/{meeting.pk}/preview/")
    assert "The meeting has not taken place yet" in preview.text and "Publish the minutes" not in preview.text
    chair.post(f"/governance/manage/meetings/{meeting.pk}/publish/")
    meeting.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.DRAFT
