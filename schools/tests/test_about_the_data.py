"""The public glossary at /about-the-data/: every measure and marker, and every figure's heading links to it."""

import re

import pytest

from schools.models import Marker, Measure
from schools.tests.test_performance_public import surrey  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def test_it_explains_every_measure_and_marker_with_its_publisher_and_missing_years(client):
    page = client.get("/about-the-data/").content.decode()
    for measure in Measure.objects.exclude(kind="ofsted"):
        assert f'id="{measure.code}"' in page, measure.code
        assert measure.label in page
    assert 'id="ofsted_rc_inclusion"' in page
    for marker in ("SUPP", "NE", "NP", "LOWCOV", "c", "x", "z"):
        assert f"<code>{marker}</code>" in page, marker
    assert {m.value for m in Marker if m.value != "BLANK" and m.value != "NULL"} <= set(
        re.findall(r"<code>([^<]+)</code></th>", page))
    assert "No key stage 2 tests were taken in 2019/20 or 2020/21" in page
    assert "Progress 8 is not published for 2024/25 or 2025/26" in page
    assert "Department for Education" in page and "Ofsted" in page


def test_every_figure_heading_on_a_school_page_links_to_an_entry_that_exists(client, surrey):  # noqa: F811
    glossary = client.get("/about-the-data/").content.decode()
    anchors = set(re.findall(r'id="([^"]+)"', glossary))
    page = client.get("/schools/145543/").content.decode()
    links = re.findall(r'href="/about-the-data/#([^"]+)"', page)
    assert len(links) >= 10
    assert set(links) <= anchors, set(links) - anchors
    headings = re.findall(r'<h4 class="govuk-heading-s" id="figure-[^"]+-heading">(.*?)</h4>', page)
    assert headings and all('href="/about-the-data/#' in h for h in headings)
