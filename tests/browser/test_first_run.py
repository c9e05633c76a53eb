"""Done-when of the first-run issue: a fresh database, the first admin's sign-in (with two-factor set-up),
Surrey's files from ../shared/data, to a rated dashboard, through the pages alone (first_run.walk)."""

import pytest

from conftest import PASSWORD, make_user
from dashboard.models import CurrentRun, SchoolRating
from pep_portal import partnership
from schools.models import ImportRecord, School
from tests.browser.conftest import axe_violations
from tests.browser.first_run import DATA, SURREY_FILES, walk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.skipif(not all((DATA / f).exists() for f in SURREY_FILES), reason="../shared/data is not here")
def test_a_new_partnership_reaches_its_rated_dashboard_through_the_pages(browser, live_server, settings):
    settings.PARTNERSHIP_LA_CODES = ["899"]  # the seed; the admin sets Surrey's code on the settings page
    make_user("first.admin@surrey.example.org", ["Partnership admin"], superuser=True)
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    steps = walk(page, live_server.url, "first.admin@surrey.example.org", PASSWORD)
    print("first run:", steps.log, "total", steps.total, "s,", steps.clicks, "clicks")
    assert partnership.current().la_codes == ("936",)
    assert set(ImportRecord.objects.values_list("status", flat=True)) == {"done"}
    assert ImportRecord.objects.count() == len(SURREY_FILES)
    assert School.objects.partnership().count() > 500
    run = CurrentRun.get()
    assert run is not None and SchoolRating.objects.filter(run=run).exclude(priority="").count() > 300
    assert "Priority 1" in page.content() and not axe_violations(page)
    page.context.close()
