"""Sign-in lock-outs are per account and client address: one address's failures lock nobody else out.

Behind the proxy (BEHIND_PROXY=true) the client address is the proxy's X-Forwarded-For entry
(allauth's trusted proxy count), so users never share the proxy's own address and its limit.
"""

import importlib
import os
from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOCKED = "Too many failed login attempts"
WRONG = "wrong-" + PASSWORD


def attempt(client, email, password=WRONG, **headers):
    return client.post("/accounts/login/", {"login": email, "password": password}, **headers)


def signed_in(client):
    return client.session.get("_auth_user_id") is not None


def test_failures_for_a_missing_email_lock_no_real_account(personas):
    attacker = Client()
    for _ in range(8):
        attempt(attacker, "nobody@example.org")
    # The same address (a school's shared connection, say) still signs its real users in.
    for persona in ("admin", "school_leader"):
        response = attempt(Client(), getattr(personas, persona).email, PASSWORD)
        assert LOCKED not in response.text and response.status_code == 302, persona


def test_an_account_is_locked_only_from_the_address_that_guessed(personas, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1  # what BEHIND_PROXY=true sets
    proxy = {"REMOTE_ADDR": "172.18.0.5"}  # every request arrives from the proxy's address
    attacker = {**proxy, "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    headteacher = {**proxy, "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    guesser = Client()
    for _ in range(5):
        attempt(guesser, personas.school_leader.email, **attacker)
    # The attacker's address is refused even the right password...
    assert LOCKED in attempt(guesser, personas.school_leader.email, PASSWORD, **attacker).text
    # ...while the headteacher, behind the same proxy, signs in.
    own = Client()
    response = attempt(own, personas.school_leader.email, PASSWORD, **headteacher)
    assert response.status_code == 302 and signed_in(own)


def test_behind_proxy_sets_allauths_trusted_proxy_count_and_fails_loudly_on_a_bad_value():
    from pep_portal import settings as module

    try:
        with mock.patch.dict(os.environ, {"BEHIND_PROXY": "true"}):
            assert importlib.reload(module).ALLAUTH_TRUSTED_PROXY_COUNT == 1
        with mock.patch.dict(os.environ, {"BEHIND_PROXY": "false"}):
            assert importlib.reload(module).ALLAUTH_TRUSTED_PROXY_COUNT == 0
        with mock.patch.dict(os.environ, {"BEHIND_PROXY": "maybe"}), pytest.raises(ImproperlyConfigured) as err:
            importlib.reload(module)
        assert "BEHIND_PROXY" in str(err.value)
    finally:
        importlib.reload(module)
