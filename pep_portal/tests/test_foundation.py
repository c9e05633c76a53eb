import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import yaml
from django.contrib.auth.models import Group
from django.core import mail
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]


def run_django(args, env_extra):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL", "HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG")}
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("DEBUG", "maybe", "DEBUG='maybe': expected one of true/false"),
        ("PARTNERSHIP_LA_CODES", "851,Portsmouth", "'Portsmouth' is not a three-digit DfE local authority code"),
        ("DATABASE_URL", "mysql://x/y", "DATABASE_URL='mysql://x/y': expected a URL starting with"),
        ("EMAIL_PORT", "twenty-five", "EMAIL_PORT='twenty-five': expected a whole number"),
    ],
)
def test_it_refuses_to_start_with_a_bad_setting(name, value, message):
    result = run_django(["check"], {name: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    result = run_django(
        ["check", "--deploy", "--fail-level", "WARNING"],
        {"DEBUG": "false", "SECRET_KEY": "x" * 64 + "production-secret-abcdefghij", "ALLOWED_HOSTS": "portal.example.org"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_roles_are_groups_with_the_exact_names(db):
    names = set(Group.objects.values_list("name", flat=True))
    assert {"School leader", "Trust leader", "Subgroup chair", "LA officer", "Partnership admin"} <= names


def test_healthz_reports_database_cache_and_broker(client, db, settings):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"] == "ok" and body["cache"] == "ok"
    assert body["broker"] == ("eager" if not settings.CELERY_BROKER_URL else "ok")


@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0")
def test_healthz_fails_when_the_broker_is_down(client, db):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")


def test_every_response_carries_the_security_headers(client, db):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp.split("style-src")[0]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_hsts_is_sent_over_https(client, db, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_private_pages_are_never_stored(client_for):
    response = client_for("school_leader").get("/accounts/email/")
    assert response["Cache-Control"] == "no-store"
    assert client_for("school_leader").get("/")["Cache-Control"] == "no-store"
    assert "no-store" not in client_for("anonymous").get("/").get("Cache-Control", "")


def test_there_is_no_public_sign_up(client, db):
    response = client.get("/accounts/signup/")
    assert response.status_code == 302 and response["Location"].endswith("/accounts/login/")
    client.post("/accounts/signup/", {"email": "x@example.org", "password1": "a-Long-pass-123", "password2": "a-Long-pass-123"})
    from django.contrib.auth.models import User

    assert not User.objects.filter(email="x@example.org").exists()


def test_officers_must_set_up_two_factor_first(db):
    from django.test import Client

    from conftest import PASSWORD, make_user, sign_in

    officer = make_user("new.officer@example.org", ["LA officer"])
    c = sign_in(Client(), officer)
    response = c.get("/")
    assert response.status_code == 302 and "/accounts/2fa/totp/activate/" in response["Location"]
    # Setting up two-factor asks for the password again, then shows the QR code and secret.
    response = c.get("/accounts/2fa/totp/activate/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/reauthenticate/")
    response = c.post(response.redirect_chain[-1][0], {"password": PASSWORD}, follow=True)
    assert response.status_code == 200 and "Authenticator" in response.content.decode()
    assert c.get("/dashboard/", follow=False).status_code == 302
    leader = make_user("leader2@example.org", ["School leader"])
    sign_in(c, leader)
    assert c.get("/").status_code == 200


def test_an_invited_user_sets_a_password_from_the_email_and_signs_in(db, client, django_capture_on_commit_callbacks):
    from pep_portal.accounts import invite_user

    with django_capture_on_commit_callbacks(execute=True):
        user = invite_user("head@school.example.org", "Ada", "Head", Group.objects.filter(name="School leader"))
    assert not user.has_usable_password()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["head@school.example.org"]
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/password/reset/key/" in line)
    path = link.split("127.0.0.1:8000")[1].strip()
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else path
    new_password = "a-fresh-Passphrase-2026"
    response = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)
    response = client.post("/accounts/login/", {"login": "head@school.example.org", "password": new_password})
    assert response.status_code == 302


def test_login_is_rate_limited(db, client):
    from conftest import PASSWORD, make_user

    make_user("limited@example.org", ["School leader"])
    for _ in range(5):
        client.post("/accounts/login/", {"login": "limited@example.org", "password": "wrong-password"})
    # Even the right password is refused until the limit expires.
    response = client.post("/accounts/login/", {"login": "limited@example.org", "password": PASSWORD})
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_disabling_a_user_ends_their_sessions(personas, client_for):
    c = client_for("school_leader")
    assert c.get("/accounts/email/").status_code == 200
    user = personas.school_leader
    user.is_active = False
    user.save()
    assert c.get("/accounts/email/").status_code == 302


def test_an_admin_can_end_sessions_and_reset_two_factor(personas, client_for):
    from allauth.mfa.models import Authenticator

    officer_client = client_for("officer")
    assert officer_client.get("/accounts/email/").status_code == 200
    admin = client_for("admin")
    response = admin.post(
        "/admin/auth/user/",
        {"action": "reset_two_factor", "_selected_action": [personas.officer.pk]},
    )
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=personas.officer).exists()
    assert officer_client.get("/accounts/email/").status_code == 302


def test_an_admin_invites_a_user_from_the_admin_pages(personas, client_for, django_capture_on_commit_callbacks):
    admin = client_for("admin")
    assert admin.get("/admin/auth/user/invite/").status_code == 200
    group = Group.objects.get(name="LA officer")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post("/admin/auth/user/invite/", {"email": "new@la.example.org", "groups": [group.pk]})
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["new@la.example.org"]
    response = admin.post("/admin/auth/user/invite/", {"email": "new@la.example.org"})
    assert "already exists" in response.content.decode()


def test_friendly_error_pages(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and "Page not found" in response.content.decode()


def test_docker_compose_runs_web_worker_beat_postgres_and_redis():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"web", "worker", "beat", "postgres", "redis"} <= set(services)
    for name in ("web", "postgres", "redis"):
        assert "healthcheck" in services[name], name
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://") and env["CELERY_BROKER_URL"].startswith("redis://")
    assert "celery" in " ".join(services["worker"]["command"]) and "beat" in " ".join(services["beat"]["command"])
    assert "gunicorn" in " ".join(services["web"]["command"])
    assert (ROOT / "Dockerfile").exists()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_task_runs_on_a_real_worker(celery_worker_process):
    import time

    from django.core.cache import cache

    from pep_portal.tasks import ping

    celery_worker_process()
    token = uuid.uuid4().hex
    ping.delay(token)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and cache.get(f"ping:{token}") != "pong":
        time.sleep(0.2)
    assert cache.get(f"ping:{token}") == "pong"


def test_an_officer_signing_in_goes_straight_to_two_factor_setup(db, client):
    from conftest import PASSWORD, make_user

    make_user("fresh.officer@example.org", ["LA officer"])
    response = client.post("/accounts/login/", {"login": "fresh.officer@example.org", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/2fa/totp/activate/")
    assert "Authenticator secret" in response.content.decode()
