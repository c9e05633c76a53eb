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
        ("/accessibility/", ""),
    ],
)
def test_it_marks_the_section_a_page_belongs_to(path, section):
    assert nav_section(path) == section


def test_the_menu_follows_the_role(client_for):
    anonymous = client_for("anonymous").get("/").content.decode()
    assert 'href="/dashboard/"' not in anonymous and 'href="/dashboard/imports/"' not in anonymous
    leader = client_for("school_leader").get("/").content.decode()
    assert 'href="/dashboard/"' in leader and 'href="/dashboard/imports/"' not in leader
    admin = client_for("admin").get("/").content.decode()
    assert 'href="/dashboard/imports/"' in admin and 'href="/admin/"' in admin
    assert 'href="/" aria-current="page"' in anonymous
