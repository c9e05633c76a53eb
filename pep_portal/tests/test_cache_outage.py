"""With Redis (the cache) down, the portal degrades and never breaks; /healthz reports the outage.

Runs against a real redis-server of the test's own, which the test stops (never the machine's).
"""

import copy
import time

import pytest
from django.core.cache import caches
from django.test import Client

from conftest import PASSWORD
from dashboard.tests import factories
from refresh.tests.test_refresh_faults import OwnRedis

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def redis_cache(settings):
    """The configured cache (CACHE_URL), pointed at a redis-server this test owns and can stop."""
    if not settings.CACHE_URL:
        pytest.fail("this test needs CACHE_URL (a real Redis); the PostgreSQL CI pass sets it")
    server = OwnRedis().start()
    configured = copy.deepcopy(settings.CACHES)
    configured["default"]["LOCATION"] = server.url
    settings.CACHES = configured
    try:
        yield server
    finally:
        server.stop()
        caches["default"].close()


def test_public_pages_exports_and_sign_in_work_while_redis_is_down(redis_cache, personas):
    factories.school("Brook Lane Primary")
    assert Client().get("/healthz").status_code == 200
    redis_cache.stop()
    visitor = Client()
    started = time.monotonic()
    for url in ("/", "/schools/", "/schools/?_export=csv", "/governance/", "/accounts/login/"):
        response = visitor.get(url)
        assert response.status_code == 200, url
    csv = b"".join(visitor.get("/schools/?_export=csv").streaming_content).decode()
    assert "Brook Lane Primary" in csv
    # Signing in works, and its rate limits are kept in the database meanwhile.
    user = Client()
    response = user.post("/accounts/login/", {"login": personas.school_leader.email, "password": PASSWORD})
    assert response.status_code == 302 and user.session.get("_auth_user_id") == str(personas.school_leader.pk)
    guesser = Client()
    for _ in range(5):
        guesser.post("/accounts/login/", {"login": personas.chair.email, "password": "not-" + PASSWORD})
    response = guesser.post("/accounts/login/", {"login": personas.chair.email, "password": PASSWORD})
    assert "Too many failed login attempts" in response.text
    health = Client().get("/healthz")
    assert health.status_code == 503 and health.json()["cache"].startswith("error")
    print(f"\nRedis down: pages, export and sign-in answered in {time.monotonic() - started:.1f} s in all")
    redis_cache.start()
    time.sleep(0.1)
    deadline = time.monotonic() + 15
    while Client().get("/healthz").status_code != 200:
        assert time.monotonic() < deadline, "/healthz did not recover after Redis came back"
        time.sleep(0.5)
