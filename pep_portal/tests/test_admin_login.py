"""The Django admin has no door of its own: its login is the portal's (TOTP, shared rate limits)."""

import pytest
from django.test import Client

from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def signed_in_as(client):
    return client.session.get("_auth_user_id")


def test_a_signed_in_headteacher_cannot_become_the_admin_through_the_admin_login(personas, client_for):
    leader = client_for("school_leader")
    response = leader.post("/admin/login/?next=/admin/", {"username": personas.admin.email, "password": PASSWORD,
                                                          "next": "/admin/"})
    assert response.status_code == 302
    assert signed_in_as(leader) == str(personas.school_leader.pk)
    assert leader.get("/dashboard/imports/").status_code == 404
    assert leader.get("/admin/").status_code == 404


def test_the_admin_login_sends_everyone_to_the_portal_login(personas, client_for):
    for persona in ("anonymous", "school_leader", "admin"):
        response = client_for(persona).get("/admin/login/?next=/admin/auth/user/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=/admin/auth/user/"), persona


def test_a_password_alone_posted_to_the_admin_login_signs_nobody_in(personas):
    client = Client()
    response = client.post("/admin/login/", {"username": personas.admin.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert signed_in_as(client) is None
    assert client.get("/dashboard/imports/").status_code == 302  # still sent to log in


def test_the_portal_login_asks_the_admin_for_the_second_factor(personas):
    client = Client()
    response = client.post("/accounts/login/?next=/admin/", {"login": personas.admin.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/authenticate/")
    assert signed_in_as(client) is None


def test_the_only_password_check_is_the_portal_login_with_its_limit(personas):
    client = Client()
    for _ in range(8):  # the admin's form never checks a password: no guessing there at all
        response = client.post("/admin/login/", {"username": personas.admin.email, "password": "wrong-password-1"})
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    for _ in range(5):
        client.post("/accounts/login/", {"login": personas.admin.email, "password": "wrong-password-1"})
    response = client.post("/accounts/login/", {"login": personas.admin.email, "password": PASSWORD})
    assert "Too many failed login attempts" in response.text and signed_in_as(client) is None


def test_signed_in_users_who_are_not_staff_get_404_from_every_admin_page(personas, client_for):
    for persona in ("school_leader", "trust_leader", "chair", "officer"):
        client = client_for(persona)
        for url in ("/admin/", "/admin/auth/user/", f"/admin/auth/user/{personas.admin.pk}/change/",
                    "/admin/auth/user/invite/", "/admin/password_change/"):
            assert client.get(url).status_code == 404, (persona, url)
    anonymous = client_for("anonymous").get("/admin/auth/user/")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/?next=/admin/auth/user/")
    assert client_for("admin").get("/admin/auth/user/").status_code == 200
