"""Every view of named-school data is in the access log: dashboards, support records and bulk exports
(who, when, which filter); admins read it in the Django admin."""

import pytest

from dashboard.models import DashboardAccess
from tests.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    return build_world(personas)


def test_each_bulk_export_is_logged_with_who_when_and_the_filter(world, client_for, personas):
    officer = client_for("officer")
    response = officer.get("/dashboard/schools/?priority=1&phase=primary&_export=csv")
    b"".join(response.streaming_content)
    officer.get("/dashboard/schools/?q=Lane&_export=xlsx")
    exports = DashboardAccess.objects.filter(kind=DashboardAccess.Kind.EXPORT).order_by("at", "pk")
    assert [(e.user, e.school) for e in exports] == [(personas.officer, None), (personas.officer, None)]
    assert "priority=1" in exports[0].filter and "phase=primary" in exports[0].filter
    assert "CSV" in exports[0].filter and "XLSX" in exports[1].filter and "q=Lane" in exports[1].filter
    assert all(e.at is not None for e in exports)


def test_support_record_views_are_logged(world, client_for, personas):
    officer = client_for("officer")
    for url in (f"/dashboard/support/schools/{world.school_a.urn}/", f"/dashboard/support/visits/{world.visit_b.pk}/",
                f"/dashboard/support/visits/{world.visit_b.pk}/record/",
                f"/dashboard/support/questions/{world.question_a.pk}/"):
        assert officer.get(url).status_code == 200, url
    logged = DashboardAccess.objects.filter(kind=DashboardAccess.Kind.SUPPORT, user=personas.officer)
    assert {a.school for a in logged} == {world.school_a, world.school_b} and logged.count() == 4
    # A leader's view of their own school's support record is logged too; a refused one is not.
    leader = client_for("school_leader")
    leader.get(f"/dashboard/support/schools/{world.school_a.urn}/")
    assert leader.get(f"/dashboard/support/schools/{world.school_b.urn}/").status_code == 404
    assert list(DashboardAccess.objects.filter(user=personas.school_leader).values_list("school", flat=True)) == [
        world.school_a.pk]


def test_admins_read_the_exports_and_support_views_in_the_access_log(world, client_for):
    client_for("officer").get("/dashboard/schools/?priority=2&_export=xlsx")
    client_for("officer").get(f"/dashboard/support/schools/{world.school_a.urn}/")
    page = client_for("admin").get("/admin/dashboard/dashboardaccess/").content.decode()
    assert "Bulk export" in page and "priority=2" in page and "Support record" in page
    assert "officer@example.org" in page
