"""Demo events: the annual conference and three workshops, one of them full with a waiting list.

Bookings are made through the real booking functions (request, confirm), with the emails going to
whatever EMAIL_BACKEND says (the console by default). Idempotent: events are looked up by title, and
an event that already has bookings gets no new ones.
"""

import datetime

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from . import bookings
from .models import Booking, Event, EventKind

DOMAIN = "demo.example.org"
ORGANISATIONS = ["Ashby Primary School", "Northbridge Academy", "Riverside Infant School", "St Anne's CE Primary",
                 "Harbour Trust", "Castle Hill Secondary", "Northbridge City Council"]

# title, kind, days from today, start hour, hours, place, online, capacity, bookings, summary, description
EVENTS = [
    ("Annual partnership conference 2027", EventKind.CONFERENCE, 70, 9, 7, "The Guildhall, Castle Square, Northbridge",
     "", 180, 40, "A day for every school leader in the partnership: results, priorities and what works.",
     "The partnership's annual conference brings heads, trust leaders, governors and officers together.\n\n"
     "**Programme**\n\n- Keynote: closing the disadvantage gap at key stage 2\n- The year in figures\n"
     "- Workshops led by the subgroups\n- The strategy's next three years\n\nLunch is provided."),
    ("Workshop: reducing persistent absence", EventKind.WORKSHOP, 21, 13, 3, "Civic Offices, Room 2", "", 30, 12,
     "Practical approaches that cut persistent absence in partnership schools.",
     "Led by the Attendance subgroup. Bring your school's latest attendance figures."),
    ("Workshop: phonics and early reading", EventKind.WORKSHOP, 35, 15, 2, "", "https://meet.example.org/phonics", 60,
     20, "Online: assessment and catch-up in phonics, from the English hub.",
     "For reading leads in primary and infant schools."),
    ("Workshop: SEND support in mainstream classrooms", EventKind.WORKSHOP, 14, 9, 3, "Northbridge Teaching Centre",
     "", 12, 16, "Adapting teaching for pupils with SEN support in mainstream classrooms.",
     "Run with the SEND subgroup and the educational psychology service."),
]


def _person(n):
    first = ["Alex", "Sam", "Priya", "Tom", "Aisha", "Ben", "Chloe", "Dev", "Ella", "Farid"][n % 10]
    last = ["Hughes", "Patel", "Wright", "Okafor", "Jones", "Khan", "Murphy", "Evans"][n % 8]
    return f"{first} {last}", f"{first.lower()}.{last.lower()}.{n}@{DOMAIN}", ORGANISATIONS[n % len(ORGANISATIONS)]


def _event(spec, today):
    title, kind, days, hour, hours, place, online, capacity, _n, summary, description = spec
    tz = timezone.get_current_timezone()
    day = today + datetime.timedelta(days=days)
    while day.weekday() >= 5:  # events run on weekdays
        day += datetime.timedelta(days=1)
    starts = datetime.datetime.combine(day, datetime.time(hour), tzinfo=tz)
    event, created = Event.objects.get_or_create(title=title, defaults={
        "kind": kind, "starts_at": starts, "ends_at": starts + datetime.timedelta(hours=hours), "place": place,
        "online_url": online, "capacity": capacity, "summary": summary, "description": description,
        "booking_deadline": starts - datetime.timedelta(days=2), "is_published": True,
    })
    return event, created


def load(stdout):
    today = timezone.localdate()
    made = booked = 0
    # The demo bookers are fictional: their emails go nowhere, whatever EMAIL_BACKEND is.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        for spec in EVENTS:
            made, booked = _load_one(spec, today, made, booked)
    stdout.write(f"Events: {made} new, {booked} demo bookings confirmed (the SEND workshop is full, with a waiting list).")


def _load_one(spec, today, made, booked):
    with transaction.atomic():
        event, created = _event(spec, today)
    if event.bookings.exists():
        return made + created, booked
    for n in range(spec[8]):
        name, email, organisation = _person(n + 100 * EVENTS.index(spec))
        bookings.request_booking(event, name=name, email=email, organisation=organisation)
        bookings.confirm(Booking.objects.get(event=event, email=email).token)
    return made + created, booked + spec[8]
