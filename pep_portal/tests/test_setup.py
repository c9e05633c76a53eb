"""The set-up task list reads each task's status from the data and links to the page that does it."""

import re

from dashboard.tests import factories as f
from schools.models import ImportRecord


def statuses(client):
    page = client.get("/dashboard/setup/").content.decode()
    found = re.findall(r'id="task-(\w+)-status">\s*(?:<strong class="govuk-tag[^"]*">)?([^<]+?)\s*<', page)
    return dict(found), page


def record(kind, status="done"):
    return ImportRecord.objects.create(file_name=f"{kind}.csv", sha256=kind, kind=kind, status=status)


def test_an_empty_portal_starts_with_everything_to_do(client_for):
    found, page = statuses(client_for("admin"))
    assert found == {
        "settings": "Not started", "register": "Not started", "trusts": "Cannot start yet",
        "performance": "Cannot start yet", "ofsted": "Cannot start yet", "rules": "Done",
        "ratings": "Cannot start yet",
        "users": "In progress",  # the personas' accounts exist; none of them has signed in yet
    }
    assert 'href="/dashboard/settings/?then=setup"' in page and 'href="/dashboard/imports/upload/#step-register"' in page
    assert 'href="/dashboard/rules/"' in page and 'href="/admin/auth/user/invite/"' in page
    assert "You have done" in page


def test_statuses_follow_the_imports_and_the_first_run(client_for):
    admin = client_for("admin")
    admin.post("/dashboard/settings/", {"name": "Surrey", "la_codes": "899", "neighbour_la_codes": ""})
    record("gias_establishments")
    f.three_priorities()
    record("gias_groups")
    record("ks2", status="previewed")
    found, _ = statuses(admin)
    assert found["settings"] == "Done" and found["register"] == "Done"
    assert found["trusts"] == "In progress" and found["performance"] == "In progress"
    assert found["ratings"] == "Cannot start yet"
    record("gias_group_links")
    record("ks2")
    found, page = statuses(admin)
    assert found["trusts"] == "Done" and found["performance"] == "Done" and found["ratings"] == "Not started"
    assert 'action="/dashboard/refresh/"' in page
    response = admin.post("/dashboard/refresh/")
    assert response.status_code == 302
    found, _ = statuses(admin)
    assert found["ratings"] == "Done"


def test_saving_the_settings_from_set_up_returns_there(client_for):
    response = client_for("admin").post("/dashboard/settings/", {"name": "Surrey", "la_codes": "936", "then": "setup"})
    assert response.status_code == 302 and response["Location"] == "/dashboard/setup/"


def test_the_empty_home_page_and_dashboard_point_an_admin_to_set_up(client_for):
    admin = client_for("admin")
    assert 'href="/dashboard/setup/">Set up the portal' in admin.get("/").content.decode()
    assert 'href="/dashboard/setup/">Set up the portal' in admin.get("/dashboard/").content.decode()
    assert "Set up the portal" not in client_for("officer").get("/dashboard/").content.decode()
    assert "Set up the portal" not in client_for("anonymous").get("/").content.decode()


def test_the_admin_menu_links_set_up_and_the_ratings_runs(client_for):
    page = client_for("admin").get("/dashboard/setup/").content.decode()
    assert 'href="/dashboard/setup/" aria-current="page"' in page and 'href="/dashboard/refresh/"' in page
    officer = client_for("officer").get("/").content.decode()
    assert 'href="/dashboard/setup/"' not in officer and 'href="/dashboard/refresh/"' not in officer


def test_inviting_is_done_once_an_invited_user_has_signed_in(client_for):
    admin = client_for("admin")
    client_for("officer")  # signing in sets last_login
    assert statuses(admin)[0]["users"] == "Done"
