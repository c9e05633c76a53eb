"""iCalendar for events: the public feed (/events.ics) and the invitation attached to booking emails."""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent


def _host():
    return urlsplit(settings.SITE_ROOT).hostname or "localhost"


def absolute(path):
    return settings.SITE_ROOT + path


def vevent(event, stamp):
    item = VEvent()
    url = absolute(event.get_absolute_url())
    # Times go out in UTC (the Z form), which every calendar converts to local time correctly.
    item.add("uid", f"event-{event.pk}@{_host()}")
    item.add("dtstamp", stamp)
    item.add("dtstart", event.starts_at.astimezone(datetime.UTC))
    item.add("dtend", event.ends_at.astimezone(datetime.UTC))
    item.add("summary", event.title)
    item.add("location", event.place or event.online_url or "Online")
    item.add("url", url)
    summary = event.summary + "\n\n" if event.summary else ""
    online = f"Join online: {event.online_url}\n" if event.online_url else ""
    item.add("description", f"{summary}{online}Details: {url}")
    item.add("status", "CONFIRMED")
    return item


def calendar(events, name):
    cal = Calendar()
    cal.add("prodid", f"-//{settings.PARTNERSHIP_NAME}//Events//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    stamp = timezone.now().astimezone(datetime.UTC)
    for event in events:
        cal.add_component(vevent(event, stamp))
    return cal.to_ical()
