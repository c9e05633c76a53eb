"""The accessibility sweep: axe-core on every distinct page, as a persona that can see it."""

import re

import pytest

from tests.browser.conftest import axe_violations, screenshot
from tests.world import all_routes, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


WIDTHS = (1280, 320)  # a desktop window, and the same window at 400% zoom (WCAG 1.4.10 reflow)


def test_it_finds_no_wcag_violation_and_no_sideways_scroll_on_any_page(page_as, personas):
    world = build_world(personas)
    report = {}
    too_wide = {}
    pages = {}
    for route in all_routes():
        if route.a11y:
            page = pages.get(route.a11y) or page_as(route.a11y)
            pages[route.a11y] = page
            url = route.url(world)
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                response = page.goto(url)
                assert response.status < 400, f"{url} as {route.a11y}: {response.status}"
                page.wait_for_load_state("load")
                scroll_width = page.evaluate("document.documentElement.scrollWidth")
                if scroll_width > width:
                    too_wide[f"{url} as {route.a11y} at {width}px"] = scroll_width
                screenshot(page, re.sub(r"[^a-z0-9]+", "-", f"{route.name}-{route.a11y}-{width}".lower()))
            violations = axe_violations(page)  # at 320 px: the narrow layout is where content hides
            if page.csp_errors:
                violations = violations + [{"id": "csp", "nodes": list(page.csp_errors)}]
                page.csp_errors.clear()
            if violations:
                report[f"{url} as {route.a11y}"] = violations
    assert not too_wide and not report, {"wider than the window": too_wide, "axe": report}


def test_the_layout_has_no_gov_uk_branding_and_reflows(page_as):
    page = page_as("anonymous")
    page.goto("/")
    html = page.content()
    assert "GOV.UK" not in html and "govuk-logo" not in html and "crown" not in html.lower()
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "GDS Transport" not in font
    # 400% zoom of a 1280px window is a 320px viewport: nothing may scroll sideways.
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto("/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_keyboard_user_reaches_the_main_content_first(page_as):
    page = page_as("anonymous")
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    page.keyboard.press("Enter")
    # Following the link is the browser's to finish: wait for the address, not a moment.
    page.wait_for_url(re.compile(r"#main-content$"))
    assert page.url.endswith("#main-content")
