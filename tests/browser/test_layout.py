"""Every page fits its screen and its paper: the menu on one line, every core measure in view at 1,280 px,
chart legends clear of the plot at 320 px, and a school dashboard printed as a marked confidential document."""

import re
import shutil
import subprocess

import pytest

from tests.browser.conftest import screenshot
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pdf_pages(page, tmp_path, name):
    """Print the page to A4 as Chromium does and return each page's text (poppler's pdftotext)."""
    assert shutil.which("pdftotext"), "poppler-utils is needed to read the printed PDF"
    path = tmp_path / f"{name}.pdf"
    page.pdf(path=str(path), format="A4", print_background=True)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [p for p in text.split("\f") if p.strip()]


def test_the_admin_menu_is_on_one_line_at_1280(page_as):
    page = page_as("admin")
    page.goto("/strategy/")
    for menu, least in ((".govuk-service-navigation__item", 9), (".pep-manage-nav__item", 6)):
        items = page.locator(menu)  # the site menu, then the bar of admin tools under it
        assert items.count() >= least, menu
        tops = {round(items.nth(i).bounding_box()["y"]) for i in range(items.count())}
        assert len(tops) == 1, (menu, tops)


@pytest.mark.parametrize("url", ["/dashboard/", "/dashboard/schools/"])
def test_the_heat_map_and_school_list_show_every_core_measure_at_1280(page_as, personas, url):
    build_world(personas)
    page = page_as("officer")
    page.goto(url)
    table = page.locator("table.pep-compact-table")
    table.wait_for()
    box = page.locator(".pep-table-scroll", has=table)
    assert box.evaluate("e => e.scrollWidth <= e.clientWidth"), "the table scrolls sideways at 1,280 px"
    abbrs = table.locator("thead abbr[title]")
    assert abbrs.count() == 9  # the nine core measures of the default rule set, abbreviated
    assert table.locator("thead abbr[title='KS4 Progress 8 score']").inner_text() == "P8"
    hidden = table.locator("thead .govuk-visually-hidden").all_inner_texts()
    assert "KS4 Progress 8 score" in hidden  # the full name for screen readers
    assert table.locator("thead a[href='/about-the-data/#ks4_p8']").count() == 1
    assert table.locator("tbody tr > :first-child").first.evaluate("e => getComputedStyle(e).position") == "sticky"
    screenshot(page, re.sub(r"[^a-z0-9]+", "-", f"layout{url}1280").strip("-"))


def test_chart_legends_stay_clear_of_the_plot_at_320(page_as, personas):
    world = build_world(personas)
    page = page_as("anonymous")
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"/schools/{world.school_a.urn}/")
    page.locator(".pep-chart .legend").first.wait_for()
    overlaps = page.evaluate(
        """() => [...document.querySelectorAll('.pep-chart')].filter(c => c.querySelector('.legend')).map(c => {
            const legend = c.querySelector('.legend').getBoundingClientRect();
            const plot = c.querySelector('.cartesianlayer .plot, .gridlayer').getBoundingClientRect();
            const items = [...c.querySelectorAll('.legend .traces')].map(t => t.getBoundingClientRect());
            const crossed = items.some((a, i) => items.some((b, j) => j > i && a.left < b.right && b.left < a.right
                                                                && a.top < b.bottom && b.top < a.bottom));
            return {id: c.id, overPlot: legend.bottom > plot.top + 1, crossed, wide: legend.right > c.getBoundingClientRect().right + 1};
        }).filter(r => r.overPlot || r.crossed || r.wide)"""
    )
    assert not overlaps, overlaps
    screenshot(page, "layout-school-charts-320")


def test_a_school_dashboard_prints_as_a_confidential_document_of_two_or_three_pages(page_as, personas, tmp_path):
    world = build_world(personas)
    page = page_as("officer")
    page.goto(f"/dashboard/schools/{world.school_a.urn}/")
    pages = pdf_pages(page, tmp_path, "school-dashboard")
    assert 2 <= len(pages) <= 3, len(pages)
    for text in pages:
        assert "CONFIDENTIAL" in text and "not for publication" in text
    printed = "\n".join(pages)
    assert world.school_a.name in printed and "Bands by measure" in printed
    for screen_only in ("Save best-fit priority", "Sign out", "Rating rules", "Skip to main content"):
        assert screen_only not in printed, screen_only


def test_public_pages_print_without_menus_or_confidential_marks(page_as, personas, tmp_path):
    world = build_world(personas)
    page = page_as("anonymous")
    for url in (f"/schools/{world.school_a.urn}/", "/about-the-data/"):
        page.goto(url)
        printed = "\n".join(pdf_pages(page, tmp_path, "public"))
        assert "Published figures" in printed or "About the data" in printed
        for screen_only in ("CONFIDENTIAL", "Sign in", "Skip to main content", "Accessibility statement"):
            assert screen_only not in printed, (url, screen_only)
