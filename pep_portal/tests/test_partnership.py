"""Partnership settings: edited in the portal, applied at once, the environment only the seed."""

import pytest

from pep_portal import partnership
from pep_portal.models import Partnership

FORM = {"name": "Surrey Schools Partnership", "la_codes": "936", "neighbour_la_codes": "867, 868",
        "address": "County Hall\nWoodhatch Place\nReigate RH2 8EF", "email": "office@surrey.example.org",
        "phone": "0300 200 1004", "website": "https://surrey.example.org"}


def test_with_no_saved_row_the_environment_gives_the_values(db, settings):
    settings.PARTNERSHIP_NAME = "Seeded Partnership"
    settings.PARTNERSHIP_LA_CODES = ["851", "852"]
    now = partnership.current()
    assert (now.name, now.la_codes, now.saved) == ("Seeded Partnership", ("851", "852"), False)


def test_the_form_opens_with_the_seed_values(client_for, settings):
    settings.PARTNERSHIP_LA_CODES = ["851", "852"]
    page = client_for("admin").get("/dashboard/settings/").content.decode()
    assert 'name="la_codes"' in page and 'value="851, 852"' in page
    assert 'name="neighbour_la_codes"' in page and 'name="name"' in page


def test_a_saved_change_applies_at_once_without_a_restart(client_for, settings):
    from schools.models import LocalAuthority, School

    settings.PARTNERSHIP_LA_CODES = ["899"]
    surrey = LocalAuthority.objects.create(code="936", name="Surrey")
    School.objects.create(urn=125000, la=surrey, name="Reigate Priory School")
    assert not School.objects.partnership().filter(urn=125000).exists()
    admin = client_for("admin")
    response = admin.post("/dashboard/settings/", FORM)
    assert response.status_code == 302
    assert School.objects.partnership().filter(urn=125000).exists()
    assert partnership.current().neighbour_la_codes == ("867", "868")
    home = admin.get("/").content.decode()
    assert "Surrey Schools Partnership" in home
    row = Partnership.objects.get()
    assert row.updated_by.email == "admin@example.org" and row.la_codes == "936"


def test_the_header_follows_a_second_save_too(client_for):
    admin = client_for("admin")
    admin.post("/dashboard/settings/", FORM)
    admin.post("/dashboard/settings/", {**FORM, "name": "Surrey Learning Partnership"})
    assert "Surrey Learning Partnership" in client_for("anonymous").get("/").content.decode()


@pytest.mark.parametrize("codes, message", [
    ("936, Surrey", "“Surrey” is not a three-digit DfE local authority code"),
    ("93", "“93” is not a three-digit DfE local authority code"),
    ("936, 936", "each code once only"),
    (" , ", "Enter at least one local authority code"),
    ("", "Enter at least one local authority code"),
])
def test_bad_la_codes_get_a_field_error_and_change_nothing(client_for, codes, message):
    response = client_for("admin").post("/dashboard/settings/", {**FORM, "la_codes": codes})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'href="#id_la_codes"' in response.content.decode()
    assert not Partnership.objects.exists()


def test_a_neighbour_cannot_be_the_partnership_itself(client_for):
    response = client_for("admin").post("/dashboard/settings/", {**FORM, "neighbour_la_codes": "867, 936"})
    assert "936 is already one of the partnership’s own local authorities" in response.content.decode()


def test_the_contact_page_shows_the_saved_details_and_the_footer_links_to_it(client_for):
    anonymous = client_for("anonymous")
    assert "has not published its contact details" in anonymous.get("/contact/").content.decode()
    client_for("admin").post("/dashboard/settings/", FORM)
    page = anonymous.get("/contact/").content.decode()
    assert "Woodhatch Place" in page and "mailto:office@surrey.example.org" in page and "0300 200 1004" in page
    assert 'href="/contact/"' in anonymous.get("/").content.decode()


def test_overriding_the_settings_in_a_test_still_applies(db, settings):
    settings.PARTNERSHIP_LA_CODES = ["330"]
    assert partnership.current().la_codes == ("330",)
    settings.PARTNERSHIP_LA_CODES = ["331"]
    assert partnership.current().la_codes == ("331",)


def test_an_invitation_links_to_the_address_the_admin_uses_and_opens_set_your_password(
        client_for, django_capture_on_commit_callbacks, mailoutbox):
    from django.contrib.auth.models import Group

    admin = client_for("admin")
    group = Group.objects.get(name="School leader")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post("/admin/auth/user/invite/", {
            "email": "head@school.example.org", "first_name": "Ada", "last_name": "Head", "groups": [group.pk],
        })
    assert response.status_code == 302, response.content.decode()[:2000]
    body = mailoutbox[-1].body
    link = next(line.strip() for line in body.splitlines() if "/accounts/password/reset/key/" in line)
    assert link.startswith("http://testserver/accounts/password/reset/key/")
    assert "http://testserver/accounts/login/" in body
    from django.test import Client

    invited = Client()
    page = invited.get(link.removeprefix("http://testserver"), follow=True).content.decode()
    assert "<title>Set your password" in page and '<h1 class="govuk-heading-l">Set your password</h1>' in page
