"""Every path that rates takes the refresh lock; only the refresh app starts a rating run."""

import ast
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from dashboard import demo
from dashboard.tests import factories as f
from refresh import api
from refresh.locks import Busy, refresh_lock

ROOT = Path(__file__).resolve().parents[2]
PORTAL = ("pep_portal", "schools", "dashboard", "governance", "strategy", "communications", "events", "search",
          "reports", "support", "refresh", "bench")


def calls_run_ratings(path):
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            if name == "run_ratings":
                return True
    return False


def test_only_the_refresh_app_starts_a_rating_run():
    callers = {
        str(path.relative_to(ROOT))
        for package in PORTAL
        for path in (ROOT / package).rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts and calls_run_ratings(path)
    }
    assert callers == {"refresh/api.py", "refresh/running.py"}


@pytest.mark.django_db
def test_the_demo_ratings_wait_for_the_lock():
    f.three_priorities()
    with refresh_lock() as got:
        assert got
        with pytest.raises(Busy):
            demo.load()
    assert demo.load() is not None


@pytest.mark.django_db
def test_rating_now_refuses_while_a_run_holds_the_lock():
    f.three_priorities()
    with refresh_lock():
        with pytest.raises(Busy):
            api.rate_now()
        with pytest.raises(CommandError, match="already in progress"):
            call_command("rate_schools")
    assert api.rate_now().schools_rated == 3
