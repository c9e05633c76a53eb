"""Only one thing rates at a time, and what ends up current is the live rule set's (real PostgreSQL + Redis).

Every path that rates takes the refresh lock: the nightly run, "run now", rate_schools and making a
rule set live. A "run now" posted twice at once runs once.
"""

import threading
import time

import pytest
from django.db import connection
from django.test import Client

from conftest import sign_in
from dashboard.models import CurrentRun, RatingRun, RuleSet
from refresh import tasks
from refresh.models import RefreshRun

# The fault tests' fixtures: a redis-server and workers of the test's own.
from .test_refresh_faults import own_redis, publishing_to, rated_world, row_for, wait_for, worker  # noqa: F401

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def draft_rule_set():
    live = RuleSet.objects.live().get()
    draft = live.copy(year=live.year)
    draft.rules = {**draft.rules, "thresholds": {**draft.rules["thresholds"], "p2_red": 2}}
    draft.save()
    return draft


def current_is_the_live_rule_sets():
    current = CurrentRun.get()
    return current.rule_set_id == RuleSet.objects.for_year(current.year).pk


def test_make_live_during_a_paused_nightly_run_never_leaves_the_retired_ratings_current(  # noqa: F811
        own_redis, worker, personas):  # noqa: F811
    rated_world()
    draft = draft_rule_set()
    w = worker(PEP_REFRESH_TEST_PAUSE=8, CELERY_TASK_TIME_LIMIT=60)
    with publishing_to(own_redis.url):
        tasks.nightly_refresh.apply_async(args=["nightly:paused"])
    # The nightly run has rated with the live rule set and is paused before its switch, holding the lock.
    wait_for(lambda: RatingRun.objects.filter(status="running").exists(), 30, "the paused nightly run", [w])
    admin = sign_in(Client(), personas.admin)
    response = admin.post(f"/dashboard/rules/{draft.pk}/preview/", follow=True)
    assert response.status_code == 200
    assert "A ratings run is in progress" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == RuleSet.Status.DRAFT  # nothing changed: the admin makes it live afterwards
    wait_for(lambda: row_for("nightly:paused", RefreshRun.Status.DONE), 60, "the nightly run to finish", [w])
    assert current_is_the_live_rule_sets()
    # With the lock free, making it live rates with it at once, under the same lock.
    response = admin.post(f"/dashboard/rules/{draft.pk}/preview/", follow=True)
    draft.refresh_from_db()
    assert draft.status == RuleSet.Status.LIVE and "Schools were rated again" in response.content.decode()
    assert CurrentRun.get().rule_set_id == draft.pk and current_is_the_live_rule_sets()


def test_rate_schools_refuses_while_a_run_holds_the_lock(own_redis, worker, personas):  # noqa: F811
    from django.core.management import CommandError, call_command

    rated_world()
    draft = draft_rule_set()
    w = worker(PEP_REFRESH_TEST_PAUSE=6, CELERY_TASK_TIME_LIMIT=60)
    with publishing_to(own_redis.url):
        tasks.nightly_refresh.apply_async(args=["nightly:held"])
    wait_for(lambda: RatingRun.objects.filter(status="running").exists(), 30, "the paused nightly run", [w])
    with pytest.raises(CommandError, match="already in progress"):
        call_command("rate_schools")
    wait_for(lambda: row_for("nightly:held", RefreshRun.Status.DONE), 60, "the nightly run to finish", [w])
    assert RatingRun.objects.filter(status="done").count() == 2 and draft.status == RuleSet.Status.DRAFT


def test_run_now_posted_twice_at_once_runs_once(own_redis, worker, personas):  # noqa: F811
    rated_world()
    before = RatingRun.objects.filter(status="done").count()
    w = worker()
    barrier = threading.Barrier(2)
    answers = []

    def press():
        client = sign_in(Client(), personas.admin)
        barrier.wait()
        try:
            answers.append(client.post("/dashboard/refresh/run/"))
        finally:
            connection.close()

    with publishing_to(own_redis.url):
        threads = [threading.Thread(target=press) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    assert [a.status_code for a in answers] == [302, 302]
    assert answers[0]["Location"] == answers[1]["Location"]  # both presses show the one run
    pressed = RefreshRun.objects.filter(trigger=RefreshRun.Trigger.USER)
    wait_for(lambda: pressed.filter(status="done").exists(), 60, "the run to finish", [w])
    time.sleep(1)  # a second queued run, had there been one, would start now
    assert pressed.count() == 1 and pressed.get().status == "done"
    assert RatingRun.objects.filter(status="done").count() == before + 1
