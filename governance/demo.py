"""Demo governance for the fictional partnership: a Strategic Board, subgroups, networks and a
task-and-finish group (shaped like the seed partnerships'), chairs who are school leaders, and a year
of meetings with published minutes, one of them with an exempt item.

Idempotent: groups, users and memberships are looked up by their keys, and a group that already
has meetings gets no new ones, so a second run changes nothing.
"""

import datetime

from django.contrib.auth.models import Group as RoleGroup
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from pep_portal import demo_personas
from pep_portal.roles import Role

from .models import (
    Action,
    ActionStatus,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Group,
    GroupKind,
    Meeting,
    MeetingStatus,
    MemberRole,
    Membership,
    MinutesStatus,
)

DEMO_DOMAIN = "demo.example.org"

# slug, name, kind, parent slug, remit, chair (first, last, job), topics for agenda items
GROUPS = [
    (
        "strategic-board",
        "Strategic Board",
        GroupKind.BOARD,
        None,
        "Sets the partnership's vision and strategy, agrees its priorities and targets, and holds the "
        "subgroups to account. Its chair is independent of the council and of any trust.",
        ("Helen", "Marsh", "Independent chair"),
        [
            "Progress against the strategy's targets",
            "Performance dashboard: summary of this term's priorities",
            "Reports from the subgroups",
            "Partnership budget and contributions",
        ],
    ),
    (
        "teacher-recruitment-and-retention",
        "Initial Teacher Training, Recruitment and Retention",
        GroupKind.SUBGROUP,
        "strategic-board",
        "Brings schools, trusts and training providers together to recruit and keep good teachers: "
        "school-based training routes, early career support and a shared picture of vacancies.",
        ("Priya", "Desai", "Headteacher, Harbourside Primary School"),
        ["Vacancy survey: results", "Early career teacher programme", "Exit interviews: themes"],
    ),
    (
        "school-improvement",
        "School Improvement (Operational Group)",
        GroupKind.SUBGROUP,
        "strategic-board",
        "Plans and reviews support for schools: visits to priority 1 and 2 schools, questions to priority 3 "
        "schools about their red areas, and brokering help between schools.",
        ("Daniel", "Okafor", "Headteacher, Northbridge Academy"),
        ["Support visits this term", "Peer review programme", "Brokered support: outcomes"],
    ),
    (
        "inclusion",
        "Inclusion",
        GroupKind.SUBGROUP,
        "strategic-board",
        "Two strands: special educational needs provision in mainstream schools, and the emotional health "
        "and wellbeing of children and young people.",
        ("Sarah", "Lindqvist", "Headteacher, Westfield Special School"),
        ["SEN support in mainstream schools", "Emotional health and wellbeing pilot", "Outreach service"],
    ),
    (
        "behaviour-and-attendance",
        "Behaviour and Attendance",
        GroupKind.SUBGROUP,
        "strategic-board",
        "Works to improve attendance, reduce persistent absence and cut suspensions and exclusions.",
        ("Mark", "Ellison", "Deputy headteacher, Castle Hill School"),
        ["Persistent absence: latest figures", "Alternatives to exclusion", "Attendance campaign"],
    ),
    (
        "early-years",
        "Early Years",
        GroupKind.SUBGROUP,
        "strategic-board",
        "Good levels of development at the end of reception, and smooth moves from nursery to school.",
        ("Grace", "Adeyemi", "Headteacher, Meadowbank Nursery and Infant School"),
        ["Good level of development: results", "Transition to reception"],
    ),
    (
        "post-16",
        "Post-16 Participation",
        GroupKind.SUBGROUP,
        "strategic-board",
        "Keeps young people in education, employment or training after 16, with the college and employers.",
        ("Owen", "Pritchard", "Principal, Northbridge Sixth Form College"),
        ["Participation figures", "Careers guidance in year 11"],
    ),
    (
        "send",
        "Special Educational Needs and Disabilities",
        GroupKind.SUBGROUP,
        "strategic-board",
        "Timely education, health and care plans, and the right places in specialist provision.",
        ("Ruth", "Banerjee", "SENCo, Riverside Primary School"),
        ["EHC plans issued on time", "Specialist places"],
    ),
    (
        "school-governance",
        "School Governance",
        GroupKind.SUBGROUP,
        "strategic-board",
        "Training and support for governors and trustees across maintained schools and academies.",
        ("Ian", "Colbourne", "Chair of governors, St Mary's CE Primary School"),
        ["Governor training programme", "Recruiting governors"],
    ),
    (
        "digital-learning",
        "Digital Learning",
        GroupKind.SUBGROUP,
        "strategic-board",
        "Shared platforms, devices and staff training for digital learning.",
        ("Nadia", "Farouk", "Headteacher, Eastgate Primary School"),
        ["Devices for pupils", "Staff training in digital tools"],
    ),
    (
        "english-network",
        "English Network",
        GroupKind.NETWORK,
        "school-improvement",
        "Subject leaders sharing practice in reading and writing, and moderating writing together.",
        ("Lucy", "Barrow", "English lead, Harbourside Primary School"),
        ["Reading for pleasure", "Writing moderation"],
    ),
    (
        "maths-network",
        "Maths Network",
        GroupKind.NETWORK,
        "school-improvement",
        "Subject leaders working on mastery approaches and the move from key stage 2 to 3.",
        ("Chris", "Mensah", "Maths lead, Castle Hill School"),
        ["Mastery in key stage 2", "Transition to secondary maths"],
    ),
    (
        "science-network",
        "Science Network",
        GroupKind.NETWORK,
        "school-improvement",
        "Subject leaders sharing practical science and assessment.",
        ("Joanna", "Whitley", "Science lead, Northbridge Academy"),
        ["Practical science", "Assessment in key stage 3"],
    ),
    (
        "teacher-retention-review",
        "Teacher Retention Review",
        GroupKind.TASK_AND_FINISH,
        "teacher-recruitment-and-retention",
        "A short review of how long teachers stay in post and why they leave, reporting to the recruitment "
        "and retention subgroup.",
        ("Priya", "Desai", "Headteacher, Harbourside Primary School"),
        ["Survey design", "Findings and recommendations"],
    ),
]

OTHER_ATTENDEES = [
    ("Ben Hallam", "LA officer, school improvement"),
    ("Alice Moreno", "Headteacher, Kingsway Primary"),
    ("Tariq Aziz", "Trust school improvement lead"),
    ("Emma Doyle", "Partnership manager"),
    ("Colin Reeve", "Governor representative"),
]

EXEMPT_BODY = (
    "The board discussed two schools' support as case studies: one placed in priority 2 after a recent "
    "inspection and one in priority 1. The discussion covered named schools' performance data, which is "
    "business confidential."
)


def _demo_email(first, last):
    return f"{first}.{last}@{DEMO_DOMAIN}".lower()


def _chair_user(first, last, password):
    from allauth.account.models import EmailAddress

    email = _demo_email(first, last)
    user, created = User.objects.get_or_create(
        username=email, defaults={"email": email, "first_name": first, "last_name": last}
    )
    if created:
        user.set_password(password)
        user.save()
        user.groups.add(*RoleGroup.objects.filter(name__in=[Role.SUBGROUP_CHAIR, Role.SCHOOL_LEADER]))
        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"primary": True, "verified": True})
    return user, created


def _at(day, hour, minute=0):
    tz = timezone.get_current_timezone()
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)), tz)


def _meeting_days(index, today):
    """About six past meetings over the year and two to come, on a weekday that differs by group."""
    every = 49 if index == 0 else 63
    offset = index % 3  # Tuesday, Wednesday or Thursday
    days = []
    for k in range(-6, 2):
        day = today + datetime.timedelta(days=every * k + 3 + 2 * index)
        day += datetime.timedelta(days=(1 + offset - day.weekday()) % 7)
        days.append(day)
    return days


def _make_meetings(group, index, chair, topics, today, with_exempt):
    now = timezone.now()
    meetings = []
    for n, day in enumerate(_meeting_days(index, today)):
        starts = _at(day, 16 if index else 9, 0 if index % 2 else 30)
        past = starts < now
        meeting = Meeting.objects.create(
            group=group,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(minutes=90),
            place="Northbridge Civic Offices, Committee Room 2" if index % 2 == 0 else "",
            online_url="https://meet.example.org/pep-" + group.slug if index % 2 else "",
            status=MeetingStatus.HELD if past else MeetingStatus.PLANNED,
        )
        items = [
            (
                "Apologies and declarations of interest",
                "Apologies were received and noted. No interests were declared.",
                "",
            )
        ]
        if meetings:
            items.append(
                (
                    "Minutes of the last meeting and matters arising",
                    "The minutes of the previous meeting were agreed as a correct record.",
                    "The minutes of the previous meeting were approved as a correct record.",
                )
            )
        topic = topics[n % len(topics)]
        items.append(
            (
                topic,
                f"{chair.first_name} {chair.last_name} introduced the item. Members discussed:\n\n"
                f"* what the latest figures show\n* what schools have found helpful\n"
                f"* what the group should do before the next meeting",
                f"The group agreed to bring an update on {topic.lower()} to its next meeting.",
            )
        )
        items.append(("Any other business", "There was no other business.", ""))
        for order, (title, body, decision) in enumerate(items, start=1):
            AgendaItem.objects.create(
                meeting=meeting, order=order, title=title, body=body if past else "", decision=decision if past else ""
            )
        if with_exempt and past and n == 3:
            AgendaItem.objects.create(
                meeting=meeting,
                order=len(items) + 1,
                title="Support for two schools: case studies",
                body=EXEMPT_BODY,
                decision="The board endorsed the support given to both schools.",
                is_exempt=True,
                exempt_paragraph=3,
                public_interest_note="The item names schools and their confidential performance data; disclosure "
                "would prejudice the schools' business affairs.",
            )
        if past:
            Attendance.objects.create(meeting=meeting, user=chair, capacity="Chair", status=AttendanceStatus.PRESENT)
            for k, (name, capacity) in enumerate(OTHER_ATTENDEES[: 3 + n % 3]):
                status = AttendanceStatus.APOLOGIES if (k + n) % 5 == 4 else AttendanceStatus.PRESENT
                Attendance.objects.create(meeting=meeting, name=name, capacity=capacity, status=status)
            topic_item = meeting.items.get(title=topic)
            Action.objects.create(
                meeting=meeting,
                agenda_item=topic_item,
                description=f"Prepare an update on {topic.lower()}.",
                owner=f"{chair.first_name} {chair.last_name}",
                due_on=day + datetime.timedelta(days=42),
                status=ActionStatus.DONE if n < 3 else ActionStatus.OPEN,
            )
            # The latest past meeting of every third group still has draft minutes, as happens.
            last_past = n + 1 < 8 and _at(_meeting_days(index, today)[n + 1], 9) >= now
            if not (last_past and index % 3 == 2):
                meeting.minutes_status = MinutesStatus.PUBLISHED
                meeting.minutes_published_at = starts + datetime.timedelta(days=7)
                meeting.minutes_published_by = chair
                meeting.save()
        if meetings and meetings[-1].minutes_are_public and past:
            previous = meetings[-1]
            previous.minutes_status = MinutesStatus.APPROVED
            previous.approved_at_meeting = meeting
            previous.save()
        meetings.append(meeting)
    return meetings


@transaction.atomic
def load(stdout):
    password = demo_personas.chair_password()
    today = timezone.localdate()
    by_slug = {}
    new_users = 0
    new_meetings = 0
    for index, (slug, name, kind, parent, remit, (first, last, _job), topics) in enumerate(GROUPS):
        start = today - datetime.timedelta(days=180 if kind == GroupKind.TASK_AND_FINISH else 3 * 365)
        group, _ = Group.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "parent": by_slug.get(parent),
                "remit": remit,
                "order": index,
                "starts_on": start,
                "ends_on": today + datetime.timedelta(days=120) if kind == GroupKind.TASK_AND_FINISH else None,
            },
        )
        by_slug[slug] = group
        chair, created = _chair_user(first, last, password)
        new_users += created
        Membership.objects.get_or_create(group=group, user=chair, role=MemberRole.CHAIR, defaults={"starts_on": start})
        if not group.meetings.exists():
            new_meetings += len(_make_meetings(group, index, chair, topics, today, with_exempt=index == 0))
    stdout.write(f"Governance: {len(by_slug)} groups, {new_meetings} new meetings, {new_users} new chair accounts.")
    if new_users:
        stdout.write(
            f"Demo chairs sign in as e.g. {_demo_email('Daniel', 'Okafor')} (School Improvement) "
            f"with the password: {password}"
        )
