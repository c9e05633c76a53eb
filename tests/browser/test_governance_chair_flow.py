"""Governance in a real browser: a chair writes and publishes minutes; axe on every governance page."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from governance.models import Group, MemberRole, Membership
from governance.tests import matrix
from tests.browser.conftest import axe_sweep, axe_violations, screenshot
from tests.world import CANARY_EXEMPT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _role_groups(personas):
    """An earlier transactional test flushes the role groups the migrations created: put them back."""
    from django.contrib.auth.models import Group as RoleGroup

    from conftest import PERSONA_ROLES

    for persona, roles in PERSONA_ROLES.items():
        getattr(personas, persona).groups.set([RoleGroup.objects.get_or_create(name=r)[0] for r in roles])


def test_a_chair_publishes_minutes_with_an_exempt_item(page_as, personas):
    group = Group.objects.create(name="Inclusion", slug="inclusion", remit="SEN and wellbeing.")
    Membership.objects.create(group=group, user=personas.chair, role=MemberRole.CHAIR)
    page = page_as("chair")
    page.goto("/governance/manage/")
    page.get_by_role("link", name="Add a meeting of the Inclusion").click()
    day = timezone.localdate() - datetime.timedelta(days=2)
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Start time").fill("16:00")
    page.get_by_label("Status").select_option("held")
    page.get_by_role("button", name="Create meeting").click()
    # Forgot the place: the error summary says so and links to the field. (Each check waits for its page.)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a place or an online meeting link")
    page.get_by_label("Place").fill("Civic Offices")
    page.get_by_role("button", name="Create meeting").click()
    expect(page.locator("main")).to_contain_text("Meeting created")

    page.get_by_role("link", name="Add an agenda item").click()
    page.get_by_label("Title").fill("Attendance this term")
    page.get_by_label("Minutes of the item (Markdown)").fill("Attendance **improved**.")
    page.get_by_role("button", name="Save item").click()
    page.get_by_role("link", name="Add an agenda item").click()
    page.get_by_label("Title").fill(f"School case {CANARY_EXEMPT}")
    page.get_by_label("Minutes of the item (Markdown)").fill(f"Details {CANARY_EXEMPT}")
    page.get_by_label("Exempt item: the press and public are excluded").check()
    page.get_by_label("Schedule 12A paragraph").select_option("3")
    page.get_by_role("button", name="Save item").click()

    page.get_by_role("link", name="Preview and publish the minutes").click()
    expect(page.get_by_role("button", name="Publish the minutes")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Exempt item under paragraph 3 of Schedule 12A")
    assert CANARY_EXEMPT not in page.content()
    assert "Exempt item under paragraph 3 of Schedule 12A" in page.content()
    assert not axe_violations(page)
    screenshot(page, "governance-chair-preview")
    page.get_by_role("button", name="Publish the minutes").click()
    expect(page.locator("main")).to_contain_text("Minutes published")
    screenshot(page, "governance-chair-editor")

    public = page_as("anonymous")
    public.goto(page.url.replace("/manage/meetings/", "/meetings/"))
    expect(public.locator("main")).to_contain_text("Exempt item under paragraph 3 of Schedule 12A")
    html = public.content()
    assert "<strong>improved</strong>" in html and CANARY_EXEMPT not in html
    assert "Exempt item under paragraph 3 of Schedule 12A of the Local Government Act 1972" in html
    screenshot(public, "governance-public-meeting-exempt-notice")


def test_every_governance_page_passes_axe(page_as, personas):
    # Only this app's objects: other apps' worlds lean on data migrations a flush removes.
    world = SimpleNamespace(personas=personas)
    matrix.setup(world)
    pages = {}
    report = axe_sweep(page_as, matrix.ROUTES, world, "gov", pages)
    # Error states of the forms too.
    chair = pages["chair"]
    chair.goto(f"/governance/manage/meetings/{world.meeting_x.pk}/items/new/")
    chair.get_by_role("button", name="Save item").click()
    violations = axe_violations(chair)
    if violations:
        report["item form with errors"] = violations
    assert not report, report
