"""The account pages (django-allauth in GOV.UK markup): what a new officer sees setting up two-factor,
and the email page, in sentence case."""

import re
import time

import pytest
from django.test import Client

from conftest import PASSWORD, make_user, sign_in

pytestmark = pytest.mark.django_db


def current_code(client):
    from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(client.session[SECRET_SESSION_KEY], int(time.time()) // 30))


def test_after_setting_up_two_factor_the_recovery_codes_are_on_the_page():
    officer = make_user("new.officer@example.org", ["LA officer"])
    c = sign_in(Client(), officer, reauthenticated=True)
    page = c.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    response = c.post("/accounts/2fa/totp/activate/", {"code": current_code(c)}, follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/2fa/recovery-codes/"
    html = response.content.decode()
    codes = re.findall(r"<li><code>([0-9a-z]+)</code></li>", html)
    assert len(codes) == 10 and len(set(codes)) == 10
    from allauth.mfa.models import Authenticator

    stored = Authenticator.objects.get(user=officer, type=Authenticator.Type.RECOVERY_CODES).wrap()
    assert sorted(codes) == sorted(stored.get_unused_codes())
    assert "<h1" in html and "Recovery codes</h1>" in html and "Recovery Codes" not in html


def test_the_email_page_chooses_an_address_with_radios_in_sentence_case():
    leader = make_user("leader@example.org", ["School leader"])
    from allauth.account.models import EmailAddress

    EmailAddress.objects.get_or_create(user=leader, email="leader@example.org", primary=True, verified=True)
    EmailAddress.objects.create(user=leader, email="second@example.org", verified=True)
    html = sign_in(Client(), leader).get("/accounts/email/").content.decode()
    assert html.count('class="govuk-radios__input"') == 2 and '<fieldset class="govuk-fieldset">' in html
    for title_case in ("Email Addresses", "Make Primary", "Re-send Verification", "Add Email"):
        assert title_case not in html, title_case
    assert "Email addresses</h1>" in html and "Make primary" in html


def test_signing_in_says_nothing_before_the_second_factor(client):
    make_user("officer2@example.org", ["LA officer"], totp=True)
    response = client.post("/accounts/login/", {"login": "officer2@example.org", "password": PASSWORD}, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0].startswith("/accounts/2fa/authenticate/")
    assert "Successfully signed in" not in html and "govuk-notification-banner" not in html


@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/password/reset/"])
def test_entrance_pages_are_in_sentence_case(client, url):
    html = client.get(url).content.decode()
    for title_case in ("Sign In", "Password Reset", "Reset My Password"):
        assert title_case not in html, (url, title_case)
