"""The report pages in Debian's chromium: axe finds nothing, they reflow at 320 px, and printing
drops the portal's header and menus while the confidential marking stays."""

import datetime

import pytest

from tests.browser.conftest import axe_violations, screenshot
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_report_pages_pass_axe_reflow_and_print_cleanly(page_as, personas):
    build_world(personas)
    today = datetime.date.today()
    period = f"from={today - datetime.timedelta(days=60)}&to={today}"
    page = page_as("officer")
    urls = {"reports-index": "/reports/", "reports-progress": f"/reports/progress/?{period}",
            "reports-confidential": f"/reports/progress/confidential/?{period}",
            "reports-refused": "/reports/progress/?from=2026-02-30&to=2026-01-01"}
    report = {}
    for name, url in urls.items():
        for width in (1280, 320):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(url)
            page.wait_for_selector("h1")
            violations = axe_violations(page) + [{"id": "csp", "nodes": page.csp_errors}] * bool(page.csp_errors)
            if violations:
                report[f"{url} at {width}"] = violations
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), (url, width)
            screenshot(page, f"{name}-{width}")
    assert not report, report

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(urls["reports-confidential"])
    page.emulate_media(media="print")
    assert not page.is_visible(".pep-header") and not page.is_visible(".govuk-service-navigation")
    assert page.is_visible(".pep-report__marking")
    assert page.is_visible("table.pep-report__table")
