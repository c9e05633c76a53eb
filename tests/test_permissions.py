"""The permission matrix: every URL of the portal, every persona, the status each gets."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from conftest import PERSONAS
from tests.world import all_routes, build_world

# Every named pattern, the Django admin's included (pep_portal/tests/matrix.py generates those).
NOT_IN_MATRIX_PREFIXES = ()


def named_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    names = set()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= named_patterns(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(namespace + entry.name)
    return names


def test_it_covers_every_url_pattern():
    covered = {route.name for route in all_routes()}
    missing = sorted(
        name for name in named_patterns() if not name.startswith(NOT_IN_MATRIX_PREFIXES) and name not in covered
    )
    assert not missing, f"URL patterns missing from the permission matrix: {missing}"


def test_every_route_names_every_persona():
    for route in all_routes():
        assert set(route.expect) == set(PERSONAS), f"{route.name}: expect must name {PERSONAS}"


@pytest.mark.django_db
def test_it_gives_each_persona_the_expected_status(personas, client_for):
    world = build_world(personas)
    failures = []
    for route in all_routes():
        url = route.url(world)
        for persona in PERSONAS:
            response = client_for(persona).get(url)
            expected = route.expect[persona]
            if expected == "login":
                ok = response.status_code == 302 and "/accounts/login/" in response["Location"]
            else:
                ok = response.status_code == expected
            if not ok:
                failures.append(f"{persona} GET {url} ({route.name}): {response.status_code}, expected {expected}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_it_keeps_the_django_admin_for_staff_only(personas, client_for):
    response = client_for("anonymous").get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    for persona in ("school_leader", "officer"):
        assert client_for(persona).get("/admin/").status_code == 404
    assert client_for("admin").get("/admin/").status_code == 200
