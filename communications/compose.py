"""The bulletin's first draft, pre-filled from what happened since the last one.

Each section is one small function (since, now) -> Markdown, or "" when it has nothing to say; the
draft is the sections in the order of SECTIONS. Adding a section is one function and one entry in
SECTIONS. Only public things are listed: published news, published events still open for booking,
meetings of visible groups (title, date and place), and minutes already published.
"""

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from events.models import HOLDS_A_PLACE, Event
from governance.models import Meeting, MeetingStatus

from .emails import absolute
from .models import Bulletin, NewsPost

LOOK_AHEAD_DAYS = 35


def _when(dt, fmt="%A %-d %B %Y, %H:%M"):
    return timezone.localtime(dt).strftime(fmt)


def news_section(since, now):
    posts = NewsPost.objects.published().filter(published_at__gt=since).order_by("-published_at")[:10]
    lines = [f"- [{p.title}]({absolute(p.get_absolute_url())}): {p.summary}" for p in posts]
    return "## Latest news\n\n" + "\n".join(lines) if lines else ""


def _places(event):
    left = event.capacity - event.taken
    if left <= 0:
        return "fully booked: join the waiting list"
    return f"{left} place{'s' if left != 1 else ''} left"


def events_section(since, now):
    """Published events not yet started whose booking is still open, soonest first, each with its link."""
    events = (
        Event.objects.upcoming().filter(starts_at__gt=now, booking_deadline__gt=now)
        .annotate(taken=Count("bookings", filter=Q(bookings__status__in=HOLDS_A_PLACE)))[:10]
    )
    lines = [
        f"- [{e.title}]({absolute(e.get_absolute_url())}): {_when(e.starts_at)}, {e.location_text}; {_places(e)}. "
        f"Book by {_when(e.booking_deadline, '%-d %B')}."
        for e in events
    ]
    return "## Coming events\n\n" + "\n".join(lines) if lines else ""


def meetings_section(since, now):
    meetings = (
        Meeting.objects.upcoming().exclude(status=MeetingStatus.CANCELLED).select_related("group")
        .filter(starts_at__lte=now + datetime.timedelta(days=LOOK_AHEAD_DAYS))[:10]
    )
    lines = [
        f"- [{m.display_title}]({absolute(m.get_absolute_url())}): {_when(m.starts_at)}, {m.location_text}"
        for m in meetings
    ]
    return "## Coming meetings\n\n" + "\n".join(lines) if lines else ""


def minutes_section(since, now):
    meetings = Meeting.objects.with_public_minutes().filter(minutes_published_at__gt=since).select_related("group")
    lines = [
        f"- [{m.display_title}, {_when(m.starts_at, '%-d %B %Y')}]({absolute(m.get_absolute_url())})"
        for m in meetings.order_by("-minutes_published_at")[:10]
    ]
    return "## Newly published minutes\n\n" + "\n".join(lines) if lines else ""


SECTIONS = [news_section, events_section, meetings_section, minutes_section]


def last_sent_at(now):
    last = Bulletin.objects.filter(status=Bulletin.Status.SENT).order_by("-sent_at").first()
    return last.sent_at if last and last.sent_at else now - datetime.timedelta(days=7)


def draft(now=None):
    """(subject, body) for a new bulletin."""
    now = now or timezone.now()
    since = last_sent_at(now)
    sections = [text for text in (section(since, now) for section in SECTIONS) if text]
    intro = "Here is what is new across the partnership this week."
    body = "\n\n".join([intro, *sections]) if sections else intro + "\n\nNothing new has been published since the last bulletin."
    return f"Week of {_when(now, '%-d %B %Y')}", body + "\n"
