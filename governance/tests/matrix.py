"""Governance objects for the shared world, and every governance URL with the status each persona gets.

world.subgroup_x is chaired by the chair persona; world.meeting_x has published minutes with a
public item and an exempt item (paragraph 3) whose title, text, decision, note, attachment name and
linked action all carry CANARY_EXEMPT; world.group_y is another group the chair does not chair.
"""

import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from tests.world import CANARY_EXEMPT, Route

PERSONAS = ("anonymous", "school_leader", "trust_leader", "chair", "officer", "admin")
PUBLIC = {p: 200 for p in PERSONAS}
# The chairs' editor: sign in first; only the group's chair and admins; everyone else 404.
CHAIR_ONLY = {
    "anonymous": "login",
    "school_leader": 404,
    "trust_leader": 404,
    "chair": 200,
    "officer": 404,
    "admin": 200,
}
CHAIR_REDIRECT = {**CHAIR_ONLY, "chair": 302, "admin": 302}
ADMIN_ONLY = {**CHAIR_ONLY, "chair": 404}
EXEMPT_READERS = {
    "anonymous": 404,
    "school_leader": 404,
    "trust_leader": 404,
    "chair": 200,
    "officer": 200,
    "admin": 200,
}

FIXTURE_FILES = {
    "governance/attachments/matrix-public-paper.txt": b"Public paper for the permission matrix.\n",
    "governance/attachments/matrix-exempt-paper.txt": f"Exempt paper {CANARY_EXEMPT}\n".encode(),
}


def _stored(name):
    # Fixed names so repeated test runs reuse one file instead of piling up uploads.
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(FIXTURE_FILES[name]))
    return name


def setup(world):
    from governance.models import (
        Action,
        AgendaItem,
        Attachment,
        Attendance,
        Group,
        GroupKind,
        Meeting,
        MeetingStatus,
        MemberRole,
        Membership,
        MinutesStatus,
    )

    now = timezone.now()
    board = Group.objects.create(
        name="Matrix Strategic Board", slug="matrix-board", kind=GroupKind.BOARD, remit="Sets the direction."
    )
    world.subgroup_x = Group.objects.create(name="Subgroup X", slug="subgroup-x", parent=board, remit="Works on **X**.")
    world.group_y = Group.objects.create(name="Group Y", slug="group-y", parent=board, remit="Works on Y.")
    world.governance_board = board
    Membership.objects.create(group=world.subgroup_x, user=world.personas.chair, role=MemberRole.CHAIR)

    world.meeting_x = Meeting.objects.create(
        group=world.subgroup_x,
        starts_at=now - datetime.timedelta(days=20),
        ends_at=now - datetime.timedelta(days=20, hours=-2),
        place="Civic Offices, Room 1",
        status=MeetingStatus.HELD,
        minutes_status=MinutesStatus.PUBLISHED,
        minutes_published_at=now - datetime.timedelta(days=10),
        minutes_published_by=world.personas.chair,
    )
    world.item_x_public = AgendaItem.objects.create(
        meeting=world.meeting_x,
        order=1,
        title="Attendance figures",
        body="Attendance **rose** this term.",
        decision="Noted.",
    )
    world.item_x_exempt = AgendaItem.objects.create(
        meeting=world.meeting_x,
        order=2,
        title=f"Case study {CANARY_EXEMPT}",
        body=f"Named school discussion {CANARY_EXEMPT}",
        decision=f"Resolved {CANARY_EXEMPT}",
        is_exempt=True,
        exempt_paragraph=3,
        public_interest_note=f"Business affairs {CANARY_EXEMPT}",
    )
    world.attendance_x = Attendance.objects.create(meeting=world.meeting_x, name="Pat Example", capacity="Headteacher")
    world.action_x_public = Action.objects.create(
        meeting=world.meeting_x,
        agenda_item=world.item_x_public,
        description="Share the attendance figures.",
        owner="Chair",
    )
    world.action_x_exempt = Action.objects.create(
        meeting=world.meeting_x,
        agenda_item=world.item_x_exempt,
        description=f"Follow up {CANARY_EXEMPT}",
        owner="Officer",
    )
    world.attachment_x_public = Attachment.objects.create(
        agenda_item=world.item_x_public,
        file=_stored("governance/attachments/matrix-public-paper.txt"),
        original_name="attendance-paper.txt",
        kind="txt",
        size=40,
    )
    world.attachment_x_exempt = Attachment.objects.create(
        agenda_item=world.item_x_exempt,
        file=_stored("governance/attachments/matrix-exempt-paper.txt"),
        original_name=f"{CANARY_EXEMPT}.txt",
        kind="txt",
        size=30,
    )
    # An upcoming meeting with an exempt item on its agenda: the calendar feeds must not carry it.
    world.meeting_x_next = Meeting.objects.create(
        group=world.subgroup_x,
        starts_at=now + datetime.timedelta(days=14),
        place="Civic Offices, Room 1",
    )
    AgendaItem.objects.create(meeting=world.meeting_x_next, order=1, title="Welcome")
    AgendaItem.objects.create(
        meeting=world.meeting_x_next,
        order=2,
        title=f"Exempt {CANARY_EXEMPT}",
        body=CANARY_EXEMPT,
        is_exempt=True,
        exempt_paragraph=1,
    )
    world.meeting_y = Meeting.objects.create(
        group=world.group_y,
        starts_at=now + datetime.timedelta(days=30),
        online_url="https://meet.example.org/y",
    )
    world.item_y = AgendaItem.objects.create(meeting=world.meeting_y, order=1, title="Y business")


def _x(w):
    return {"pk": w.meeting_x.pk}


ROUTES = [
    # Public pages and feeds.
    Route("governance:index", expect=PUBLIC, a11y="anonymous"),
    Route("governance:group", lambda w: {"slug": w.subgroup_x.slug}, PUBLIC, a11y="anonymous"),
    Route("governance:group_actions", lambda w: {"slug": w.subgroup_x.slug}, PUBLIC, a11y="anonymous"),
    Route("governance:meeting", _x, PUBLIC, a11y="anonymous"),
    Route("governance:meeting", _x, PUBLIC, a11y="officer"),
    Route("governance:meeting", lambda w: {"pk": w.meeting_x_next.pk}, PUBLIC, a11y="anonymous"),
    Route("governance:attachment", lambda w: {"pk": w.meeting_x.pk, "attachment_pk": w.attachment_x_public.pk}, PUBLIC),
    Route(
        "governance:attachment",
        lambda w: {"pk": w.meeting_x.pk, "attachment_pk": w.attachment_x_exempt.pk},
        EXEMPT_READERS,
    ),
    Route("governance:meetings_ics", expect=PUBLIC),
    Route("governance:group_meetings_ics", lambda w: {"slug": w.subgroup_x.slug}, PUBLIC),
    Route("governance:minutes_atom", expect=PUBLIC),
    # The chairs' editor on the chair's own group.
    Route("governance:manage", expect={**CHAIR_ONLY}, a11y="chair"),
    Route("governance:meeting_new", lambda w: {"slug": w.subgroup_x.slug}, CHAIR_ONLY, a11y="chair"),
    Route("governance:manage_meeting", _x, CHAIR_ONLY, a11y="chair"),
    Route("governance:meeting_edit", _x, CHAIR_ONLY, a11y="chair"),
    Route("governance:attendance", _x, CHAIR_ONLY, a11y="chair"),
    Route(
        "governance:attendance_delete",
        lambda w: {"pk": w.meeting_x.pk, "attendance_pk": w.attendance_x.pk},
        CHAIR_REDIRECT,
    ),
    Route("governance:item_new", _x, CHAIR_ONLY, a11y="chair"),
    Route(
        "governance:item_edit",
        lambda w: {"pk": w.meeting_x.pk, "item_pk": w.item_x_exempt.pk},
        CHAIR_ONLY,
        a11y="chair",
    ),
    Route(
        "governance:item_delete",
        lambda w: {"pk": w.meeting_x.pk, "item_pk": w.item_x_public.pk},
        CHAIR_ONLY,
        a11y="chair",
    ),
    Route(
        "governance:attachment_upload",
        lambda w: {"pk": w.meeting_x.pk, "item_pk": w.item_x_public.pk},
        CHAIR_ONLY,
        a11y="chair",
    ),
    Route(
        "governance:attachment_delete",
        lambda w: {"pk": w.meeting_x.pk, "attachment_pk": w.attachment_x_public.pk},
        CHAIR_REDIRECT,
    ),
    Route("governance:action_new", _x, CHAIR_ONLY, a11y="chair"),
    Route(
        "governance:action_edit",
        lambda w: {"pk": w.meeting_x.pk, "action_pk": w.action_x_public.pk},
        CHAIR_ONLY,
        a11y="chair",
    ),
    Route("governance:preview", _x, CHAIR_ONLY, a11y="chair"),
    Route("governance:preview", lambda w: {"pk": w.meeting_x_next.pk}, CHAIR_ONLY, a11y="chair"),
    Route("governance:publish", _x, CHAIR_REDIRECT),
    # The same chair on another group's meeting: 404, as for any outsider; admins may.
    Route("governance:meeting_new", lambda w: {"slug": w.group_y.slug}, ADMIN_ONLY),
    Route("governance:manage_meeting", lambda w: {"pk": w.meeting_y.pk}, ADMIN_ONLY),
    Route("governance:meeting_edit", lambda w: {"pk": w.meeting_y.pk}, ADMIN_ONLY),
    Route("governance:item_edit", lambda w: {"pk": w.meeting_y.pk, "item_pk": w.item_y.pk}, ADMIN_ONLY),
    Route("governance:item_new", lambda w: {"pk": w.meeting_y.pk}, ADMIN_ONLY),
    Route("governance:preview", lambda w: {"pk": w.meeting_y.pk}, ADMIN_ONLY),
    Route("governance:publish", lambda w: {"pk": w.meeting_y.pk}, {**ADMIN_ONLY, "admin": 302}),
    # An item of meeting X addressed through meeting Y's URL is not found, even for its own chair.
    Route(
        "governance:item_edit",
        lambda w: {"pk": w.meeting_y.pk, "item_pk": w.item_x_public.pk},
        {**ADMIN_ONLY, "admin": 404},
    ),
]
