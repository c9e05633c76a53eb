"""Events and search in a real browser: a visitor books the conference, confirms from the emailed
link, and cancels; search finds a school and a meeting and never an exempt item. axe on each page,
screenshots at 1280 and 320 px."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from dashboard.tests import factories as schools_factories
from events.models import Booking, BookingStatus, Event, EventKind
from governance.models import AgendaItem, MinutesStatus
from governance.tests import factories as gov
from tests.browser.conftest import axe_violations, screenshot
from tests.world import CANARY_EXEMPT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page, name):
    """axe at 0 and no CSP error at 1280 px; screenshots at 1280 and 320 px (no sideways scroll at 320)."""
    assert axe_violations(page) == [], name
    assert page.csp_errors == [], page.csp_errors
    screenshot(page, f"{name}-1280")
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), f"{name} scrolls at 320"
    screenshot(page, f"{name}-320")
    page.set_viewport_size({"width": 1280, "height": 900})


def emailed_link(kind, to):
    message = [m for m in mail.outbox if m.to == [to]][-1]
    return re.search(rf"http\S+(/events/bookings/\S+/{kind}/)", message.body).group(1), message


def test_a_visitor_books_the_conference_confirms_from_the_email_and_cancels(page_as):
    starts = timezone.now() + datetime.timedelta(days=60)
    Event.objects.create(
        title="Annual partnership conference", kind=EventKind.CONFERENCE, starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=7), place="The Guildhall, Northbridge", capacity=180,
        booking_deadline=starts - datetime.timedelta(days=2), is_published=True,
        summary="A day for every school leader in the partnership.", description="**Programme** to follow.",
    )
    page = page_as("anonymous")
    page.goto("/")
    page.get_by_role("link", name="Annual partnership conference").click()
    page.get_by_role("heading", name="Annual partnership conference").wait_for()
    check(page, "events-detail")
    page.get_by_role("button", name="Book a place").click()
    page.locator(".govuk-error-summary").wait_for()  # nothing filled in: the summary says what
    assert "Enter your name" in page.locator(".govuk-error-summary").inner_text()
    check(page, "events-detail-errors")
    page.get_by_label("Name").fill("Sam Patel")
    page.get_by_label("Email address").fill("sam.patel@example.org")
    page.get_by_label("School or organisation (optional)").fill("Ashby Primary School")
    page.get_by_role("button", name="Book a place").click()
    page.get_by_text("Check your email").wait_for()
    assert Booking.objects.get().status == BookingStatus.PENDING

    confirm_path, _ = emailed_link("confirm", "sam.patel@example.org")
    page.goto(confirm_path)
    page.get_by_role("button", name="Confirm my booking").wait_for()
    check(page, "events-confirm")
    page.get_by_role("button", name="Confirm my booking").click()
    page.get_by_role("heading", name="You are booked").wait_for()
    check(page, "events-booked")
    assert Booking.objects.get().status == BookingStatus.CONFIRMED

    cancel_path, booked = emailed_link("cancel", "sam.patel@example.org")
    assert booked.attachments[0][0] == "invite.ics"
    page.goto(cancel_path)
    page.get_by_role("button", name="Cancel my booking").wait_for()
    check(page, "events-cancel")
    page.get_by_role("button", name="Cancel my booking").click()
    page.get_by_role("heading", name="Your booking is cancelled").wait_for()
    check(page, "events-cancelled")
    assert Booking.objects.get().status == BookingStatus.CANCELLED

    page.goto("/events/")
    page.get_by_role("heading", name="Events", exact=True).wait_for()
    check(page, "events-list")


def test_search_finds_a_school_and_a_meeting_and_never_an_exempt_item(page_as):
    schools_factories.school("Ashby Primary School", town="Northbridge")
    board = gov.group("Inclusion subgroup", slug="inclusion", remit="Works on attendance.")
    meeting = gov.meeting(board, days=-10, title="Autumn inclusion meeting", minutes_status=MinutesStatus.PUBLISHED)
    AgendaItem.objects.create(meeting=meeting, order=1, title="Breakfast clubs", body="Attendance rose.")
    AgendaItem.objects.create(meeting=meeting, order=2, title=f"Staffing {CANARY_EXEMPT}", body=CANARY_EXEMPT,
                              is_exempt=True, exempt_paragraph=1)
    page = page_as("anonymous")
    page.goto("/")
    page.get_by_label("Search the site").fill("ashby")
    page.get_by_label("Search the site").press("Enter")
    page.get_by_role("link", name="Ashby Primary School").wait_for()
    assert page.get_by_role("heading", name="Schools (1)").is_visible()
    check(page, "search-school")

    page.get_by_label("Search the site").fill("breakfast clubs")
    page.get_by_role("button", name="Search", exact=True).first.click()
    page.get_by_role("link", name="Autumn inclusion meeting").wait_for()
    assert page.get_by_role("heading", name="Meetings and minutes (1)").is_visible()
    check(page, "search-meeting")

    page.goto(f"/search/?q={CANARY_EXEMPT}")
    page.get_by_role("heading", name=re.compile("No results for")).wait_for()
    page.goto("/search/?q=Staffing")
    page.get_by_role("heading", name=re.compile("No results for")).wait_for()
    check(page, "search-none")


def test_an_editor_adds_an_event_and_marks_attendance(page_as, personas):
    from django.contrib.auth.models import Group as RoleGroup

    personas.admin.groups.add(RoleGroup.objects.get_or_create(name="Partnership admin")[0])
    page = page_as("admin")
    page.goto("/events/manage/")
    check(page, "events-manage")
    page.get_by_role("link", name="Add an event").click()
    page.get_by_label("Title").fill("Network meeting: maths leads")
    page.get_by_label("Kind").select_option("network")
    page.get_by_label("Starts").fill("2027-03-04T09:30")
    page.get_by_label("Ends").fill("2027-03-04T12:00")
    page.get_by_label("Place").fill("Civic Offices")
    page.get_by_label("Capacity").fill("2")
    page.get_by_label("Booking deadline").fill("2027-03-01T17:00")
    page.get_by_label("Published").check()
    check(page, "events-new")
    page.get_by_role("button", name="Save the event").click()
    page.get_by_role("heading", name="Network meeting: maths leads").wait_for()
    event = Event.objects.get()
    Booking.objects.create(event=event, name="Sam Patel", email="sam@example.org", organisation="=cmd|' /C calc'!A0",
                           status=BookingStatus.CONFIRMED, confirmed_at=timezone.now())
    page.reload()
    page.get_by_label("Sam Patel attended").check()
    check(page, "events-bookings")
    page.get_by_role("button", name="Save attendance").click()
    page.get_by_text("Attendance saved.").wait_for()
    assert Booking.objects.get().attended is True
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the list (CSV)").click()
    body = open(download.value.path(), encoding="utf-8-sig").read()
    assert "'=cmd|" in body and "Sam Patel" in body
