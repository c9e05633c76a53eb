"""The priority-change email links each school to its dashboard page on this portal (SITE_ROOT)."""

import pytest
from django.core import mail
from django.urls import reverse

from conftest import make_user
from dashboard.tests import factories as f
from refresh import running

pytestmark = pytest.mark.django_db


def test_priority_change_email_links_to_the_school_on_site_root(settings):
    settings.SITE_ROOT = "https://portal.example.org"
    make_user("officer.one@example.org", ["LA officer"])
    p1, p2, p3 = f.three_priorities()
    running.perform()
    f.values(p3, 2018, ks2_rwm_exp=40.0, ks2_read_prog=-3.0, ks2_writ_prog=-3.0)  # P3 -> P1
    row = running.perform()
    assert row.emails_sent == 1, row.error
    link = "https://portal.example.org" + reverse("dashboard:school_detail", args=[p3.urn])
    assert f"\n  {link}\n" in mail.outbox[0].body
