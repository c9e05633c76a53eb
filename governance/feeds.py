"""Public feeds: iCalendar of upcoming meetings (all groups, or one) and Atom of published minutes.

Neither feed ever carries an exempt item's title or text: events list public agenda titles only, and
minutes entries show exempt items as the Schedule 12A notice.
"""

import datetime

from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from icalendar import Calendar, Event

from pep_portal import partnership

from .models import Group, Meeting, MeetingStatus


def _absolute(request, path):
    return request.build_absolute_uri(path)


def _calendar(request, meetings, name):
    cal = Calendar()
    cal.add("prodid", f"-//{partnership.current().name}//Governance meetings//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    host = request.get_host().split(":")[0]
    stamp = timezone.now().astimezone(datetime.UTC)
    for meeting in meetings:
        event = Event()
        url = _absolute(request, meeting.get_absolute_url())
        # Times go out in UTC (the Z form), which every calendar converts to local time correctly.
        start = meeting.starts_at.astimezone(datetime.UTC)
        end = (meeting.ends_at or meeting.starts_at + datetime.timedelta(hours=2)).astimezone(datetime.UTC)
        event.add("uid", f"meeting-{meeting.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", end)
        event.add(
            "summary", f"{meeting.group.name}: {meeting.display_title}" if meeting.title else meeting.display_title
        )
        event.add("location", meeting.place or ("Online" if meeting.online_url else "To be confirmed"))
        event.add("url", url)
        public_titles = [f"{i.order}. {i.title}" for i in meeting.items.all() if not i.is_exempt]
        description = "Agenda:\n" + "\n".join(public_titles) if public_titles else ""
        event.add("description", (description + "\n\n" if description else "") + f"Details: {url}")
        event.add("status", "CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "CONFIRMED")
        cal.add_component(event)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="meetings.ics"'
    return response


def _upcoming():
    return Meeting.objects.upcoming().select_related("group").prefetch_related("items")


def all_meetings_ics(request):
    return _calendar(request, _upcoming(), f"{partnership.current().name} meetings")


def group_meetings_ics(request, slug):
    group = get_object_or_404(Group.objects.visible(), slug=slug)
    return _calendar(request, _upcoming().filter(group=group), f"{group.name} meetings")


class MinutesFeed(Feed):
    feed_type = Atom1Feed
    link = "/governance/"
    description_template = "governance/feed_minutes.html"

    def title(self):
        return f"{partnership.current().name}: published minutes"

    def subtitle(self):
        return "Minutes of the Strategic Board and its groups, as published. Exempt items are never included."

    def items(self):
        return (
            Meeting.objects.with_public_minutes()
            .select_related("group")
            .prefetch_related("items", "actions__agenda_item")
            .order_by("-minutes_published_at", "-pk")[:30]
        )

    def item_title(self, item):
        return f"Minutes: {item.display_title}, {timezone.localtime(item.starts_at):%-d %B %Y}"

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.minutes_published_at or item.starts_at

    def item_updateddate(self, item):
        last = item.edit_log.first()
        return last.at if last else (item.minutes_published_at or item.starts_at)

    def item_author_name(self, item):
        return item.group.name

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = kwargs["item"]
        context["public_items"] = list(meeting.items.all())
        return context


minutes_atom = MinutesFeed()
