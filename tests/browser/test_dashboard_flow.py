"""The dashboard in a real browser, as a new user would use it: an officer finds the priority 1 schools,
opens one, reads why, sets a best-fit priority and exports the list; a school leader sees only their
school; axe on every dashboard page."""


import pytest
from playwright.sync_api import expect

from dashboard.models import PriorityOverride
from dashboard.tests import matrix
from tests.browser.conftest import axe_sweep, screenshot
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_every_dashboard_page_passes_axe(page_as, personas):
    world = build_world(personas)
    routes = [r for r in matrix.ROUTES if r.name.startswith("dashboard:")]
    report = axe_sweep(page_as, routes, world, "dashboard")
    assert not report, report


def test_an_officer_finds_a_priority_1_school_reads_why_overrides_and_exports(page_as, personas):
    world = build_world(personas)
    officer = page_as("officer")
    officer.goto("/dashboard/")
    officer.get_by_role("link", name="Priority 1").first.click()
    assert "priority=1" in officer.url
    officer.get_by_role("link", name=world.school_a.name).click()
    assert officer.url.endswith(f"/dashboard/schools/{world.school_a.urn}/")
    expect(officer.locator("body")).to_contain_text("3 red core measures: KS2 RWM 48% vs 65% national")
    assert officer.locator(".plotly, .js-plotly-plot").count() > 0  # the charts drew

    # An empty reason is refused with an error summary; then a proper one is saved.
    officer.get_by_label("Best-fit priority").select_option("3")
    officer.get_by_role("button", name="Save best-fit priority").click()
    expect(officer.locator(".govuk-error-summary")).to_be_visible()
    officer.get_by_label("Best-fit priority").select_option("2")
    officer.get_by_label("Reason").fill("New head and a strong visit in October; support as priority 2.")
    officer.get_by_role("button", name="Save best-fit priority").click()
    expect(officer.locator("body")).to_contain_text("Best-fit priority set to Priority 2")
    override = PriorityOverride.objects.active().get(school=world.school_a)
    assert (override.priority, override.set_by) == ("2", personas.officer)
    screenshot(officer, "dashboard-flow-school-after-override")

    officer.goto("/dashboard/schools/")
    with officer.expect_download() as download:
        officer.get_by_role("link", name="CSV file").click()
    content = open(download.value.path(), encoding="utf-8-sig").read()
    assert content.splitlines()[0].startswith("URN,name,priority,best_fit_priority")
    assert world.school_a.name in content


def test_a_school_leader_sees_only_their_school(page_as, personas):
    world = build_world(personas)
    leader = page_as("school_leader")
    leader.goto("/dashboard/")
    assert leader.url.endswith(f"/dashboard/schools/{world.school_a.urn}/")
    assert world.school_a.name in leader.content() and "Priority 1" in leader.content()
    assert "Set a best-fit priority" not in leader.content()
    response = leader.goto(f"/dashboard/schools/{world.school_b.urn}/")
    assert response.status == 404
    assert world.school_b.name not in leader.content()
    assert leader.goto("/dashboard/schools/").status == 404
