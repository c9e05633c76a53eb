import pytest

from pep_portal.context_processors import nav_section


@pytest.mark.parametrize(
    "path, section",
    [
        ("/", "home"),
        ("/schools/100000/", "schools"),
        ("/trusts/", "schools"),
        ("/dashboard/", "dashboard"),
        ("/dashboard/schools/123/", "dashboard"),
        ("/dashboard/support/visits/1/", "support"),
        ("/dashboard/imports/", "imports"),
        ("/dashboard/rules/", "rules"),
        ("/governance/meetings/3/", "governance"),
        ("/reports/", "reports"),
        ("/reports/progress/confidential/", "reports"),
        ("/accessibility/", ""),
    ],
)
def test_it_marks_the_section_a_page_belongs_to(path, section):
    assert nav_section(path) == section


def lead_a_school(user):
    from dashboard.tests import factories as f

    f.school("Led Primary").leaders.add(user)


def test_the_menu_follows_the_role(client_for, personas):
    lead_a_school(personas.school_leader)
    anonymous = client_for("anonymous").get("/").content.decode()
    assert 'href="/dashboard/"' not in anonymous and 'href="/dashboard/imports/"' not in anonymous
    leader = client_for("school_leader").get("/").content.decode()
    assert 'href="/dashboard/"' in leader and 'href="/dashboard/imports/"' not in leader
    admin = client_for("admin").get("/").content.decode()
    assert 'href="/dashboard/imports/"' in admin and 'href="/admin/"' in admin
    assert 'href="/" aria-current="page"' in anonymous


def test_a_leader_with_no_school_gets_no_dashboard_or_support_link(db, client):
    from conftest import make_user, sign_in

    chair = make_user("chair.no.school@example.org", ["Subgroup chair", "School leader"])
    page = sign_in(client, chair).get("/").content.decode()
    assert 'href="/dashboard/"' not in page and 'href="/dashboard/support/"' not in page
    # ...and the pages the links would open are indeed closed to them
    assert client.get("/dashboard/").status_code == 404 and client.get("/dashboard/support/").status_code == 404


def test_a_leader_with_a_school_gets_both_links(client_for, personas):
    lead_a_school(personas.school_leader)
    page = client_for("school_leader").get("/").content.decode()
    assert 'href="/dashboard/"' in page and 'href="/dashboard/support/"' in page


def test_officers_and_admins_get_a_reports_link_and_no_one_else(client_for, personas):
    lead_a_school(personas.school_leader)
    for persona in ("officer", "admin"):
        assert 'href="/reports/"' in client_for(persona).get("/").content.decode(), persona
    for persona in ("anonymous", "school_leader", "trust_leader", "chair"):
        assert 'href="/reports/"' not in client_for(persona).get("/").content.decode(), persona
    from django.test import Client

    from conftest import make_user, sign_in

    editor = sign_in(Client(), make_user("editor.only@example.org", ["Communications editor"]))
    assert 'href="/reports/"' not in editor.get("/").content.decode()  # an editor, not an officer


def test_the_reports_link_is_marked_current_on_the_reports_pages(client_for):
    officer = client_for("officer")
    assert 'href="/reports/" aria-current="page"' in officer.get("/reports/").content.decode()
    progress = officer.get("/reports/progress/?from=2026-09-01&to=2026-11-29").content.decode()
    assert 'href="/reports/" aria-current="true"' in progress
