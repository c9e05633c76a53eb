"""Fault tests for the nightly refresh against a real Redis, a real worker and PostgreSQL.

Each test starts its OWN redis-server on a free port and its own workers, and stops them whatever
happens, so killing or stopping them harms nothing else on the machine. Each is bounded in time and
prints the time to recovery it measured.
"""

import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from contextlib import contextmanager

import pytest
from django.db import connection
from django.urls import reverse

from dashboard import ratings
from dashboard.models import CurrentRun, RatingRun, RuleSet, SchoolRating
from dashboard.tests import factories as f
from refresh import running, tasks
from refresh.models import RefreshRun
from schools.measures import catalogue

# serialized_rollback: each test starts with what the migrations made (role groups, the default rule set).
pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

Status = RefreshRun.Status
# The restarted worker: short limits so a lost message comes back within the test.
FAST_REDELIVERY = {"CELERY_VISIBILITY_TIMEOUT": "20", "CELERY_TASK_TIME_LIMIT": "10"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OwnRedis:
    """A throw-away redis-server on a free port, no persistence; stopped by the test itself."""

    def __init__(self):
        if shutil.which("redis-server") is None:
            pytest.fail("these tests need the redis-server binary")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc = None

    def start(self):
        import redis

        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--daemonize", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if redis.Redis(port=self.port, socket_connect_timeout=0.5).ping():
                    return self
            except redis.exceptions.ConnectionError:
                time.sleep(0.05)
        self.stop()
        pytest.fail(f"redis-server did not start on port {self.port} within 10 s")

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        self.proc = None


@pytest.fixture
def own_redis():
    if connection.vendor != "postgresql":
        pytest.fail("the refresh fault tests need PostgreSQL (DATABASE_URL=postgres://...), which a worker can share")
    server = OwnRedis().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def worker(celery_worker_process, own_redis):
    """start(**env) -> a worker on the test's own Redis; its output is drained (and kept for failures)."""
    started = []

    def start(pool="solo", **extra_env):
        proc = celery_worker_process(broker_url=own_redis.url, extra_env={k: str(v) for k, v in extra_env.items()},
                                     pool=pool)
        proc.output = []

        def drain():
            for line in proc.stdout:
                proc.output.append(line)

        threading.Thread(target=drain, daemon=True).start()
        started.append(proc)
        return proc

    yield start
    for proc in started:  # the fixture sends SIGTERM too; make sure nothing is left
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)


def kill(proc):
    """SIGKILL the worker's whole process group: what a host or container kill does."""
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(10)


@contextmanager
def publishing_to(url):
    """Send the refresh tasks from the test process (and its views) through the test's own Redis."""
    from pep_portal.celery import app

    originals = {}

    def through(task):
        original = task.apply_async

        def apply_async(*args, **kwargs):
            with app.connection_for_write(url) as conn:
                return original(*args, connection=conn, **kwargs)

        return original, apply_async

    for task in (tasks.nightly_refresh, tasks.run_ratings_now, tasks.watchdog):
        originals[task], replacement = through(task)
        task.apply_async = replacement
    try:
        yield app
    finally:
        for task, original in originals.items():
            task.apply_async = original


def wait_for(condition, timeout, what, workers=()):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    logs = "".join("".join(getattr(w, "output", [])[-40:]) for w in workers)
    pytest.fail(f"timed out after {timeout} s waiting for {what}\n--- worker output ---\n{logs}")


def snapshot():
    run = CurrentRun.get()
    rows = sorted(SchoolRating.objects.filter(run=run).values_list("school_id", "priority", "reasons", "bands"),
                  key=lambda r: r[0])
    return run.pk if run else None, rows


def rated_world():
    """Three rated schools, then a change so the next run differs: Green Park goes from P3 to P1."""
    if not RuleSet.objects.live().exists():  # a transactional test starts from an emptied database
        RuleSet.objects.create(year=2016, name="Default rule set", status=RuleSet.Status.LIVE,
                               rules=ratings.default_rule_set(2016, catalogue()).to_dict())
    p1, p2, p3 = f.three_priorities()
    good = running.perform(trigger=running.Trigger.COMMAND)
    assert good.status == Status.DONE, good.error
    f.values(p3, 2018, ks2_rwm_exp=40.0, ks2_read_prog=-3.0, ks2_writ_prog=-3.0)
    return (p1, p2, p3), good


def row_for(key, status):
    return RefreshRun.objects.filter(key=key, status=status).first()


def test_it_survives_the_worker_being_killed_in_the_middle_of_a_run(own_redis, worker):
    (p1, p2, p3), good = rated_world()
    before = snapshot()
    first = worker(PEP_REFRESH_TEST_PAUSE=60, CELERY_TASK_TIME_LIMIT=120)
    key = "nightly:kill-test"
    with publishing_to(own_redis.url):
        tasks.nightly_refresh.apply_async(args=[key])
    # Wait until the new ratings are written and the run sleeps before its switch.
    running = wait_for(lambda: RatingRun.objects.filter(status="running").first(), 30, "the rating run", [first])
    time.sleep(2)
    assert snapshot() == before  # the previous ratings stay current and whole while the new ones are built
    assert not SchoolRating.objects.filter(run=running).exists()  # nothing half-written is visible

    kill(first)
    killed_at = time.monotonic()
    assert snapshot() == before
    assert RefreshRun.objects.get(key=key).status == Status.RUNNING  # the dead worker never said so

    second = worker(**FAST_REDELIVERY)  # the watchdog is off: this is the broker's redelivery alone
    done = wait_for(lambda: row_for(key, Status.DONE), 180, "the redelivered run to finish", [second])
    recovery = time.monotonic() - killed_at
    print(f"\nworker killed mid-run: the redelivered run finished {recovery:.1f} s after the kill "
          f"(visibility timeout 20 s)")

    assert done.attempts == 2 and "interrupted" in done.log
    assert RefreshRun.objects.filter(key=key).count() == 1
    running.refresh_from_db()
    assert running.status == "failed" and "Interrupted" in running.error
    assert CurrentRun.get() == done.rating_run and done.rating_run.pk != good.rating_run.pk
    assert SchoolRating.objects.current().get(school=p3).priority == "1"
    assert RatingRun.objects.filter(status="done").count() == 2  # yesterday's and today's: one switch


def pool_child(proc):
    with open(f"/proc/{proc.pid}/task/{proc.pid}/children") as children:
        pids = [int(p) for p in children.read().split()]
    assert len(pids) == 1, pids
    return pids[0]


def test_it_survives_the_pool_child_being_killed_in_the_middle_of_a_run(own_redis, worker):
    (p1, p2, p3), good = rated_world()
    before = snapshot()
    w = worker(pool="prefork", PEP_REFRESH_TEST_PAUSE=60, PEP_REFRESH_TEST_PAUSE_ATTEMPTS=1)
    key = "nightly:child-kill"
    with publishing_to(own_redis.url):
        tasks.nightly_refresh.apply_async(args=[key])
    wait_for(lambda: RatingRun.objects.filter(status="running").exists(), 30, "the rating run", [w])
    time.sleep(1)
    os.kill(pool_child(w), signal.SIGKILL)  # what the kernel's OOM killer does to the task's process
    killed_at = time.monotonic()
    assert snapshot() == before
    done = wait_for(lambda: row_for(key, Status.DONE), 60, "the re-queued run to finish", [w])
    recovery = time.monotonic() - killed_at
    print(f"\npool child killed mid-run: re-queued at once (reject_on_worker_lost), finished {recovery:.1f} s "
          "after the kill")
    assert done.attempts == 2 and "interrupted" in done.log and w.poll() is None
    assert CurrentRun.get() == done.rating_run and SchoolRating.objects.current().get(school=p3).priority == "1"
    assert RatingRun.objects.filter(status="done").count() == 2


def test_a_new_worker_resumes_a_killed_run_at_once(own_redis, worker):
    (p1, p2, p3), good = rated_world()
    before = snapshot()
    first = worker(PEP_REFRESH_TEST_PAUSE=60, CELERY_TASK_TIME_LIMIT=120)
    key = "nightly:restart-test"
    with publishing_to(own_redis.url):
        tasks.nightly_refresh.apply_async(args=[key])
    wait_for(lambda: RatingRun.objects.filter(status="running").exists(), 30, "the rating run", [first])
    time.sleep(1)
    kill(first)
    killed_at = time.monotonic()
    # The watchdog at worker start (on by default) sees the run left "running" with the lock free.
    second = worker(PEP_REFRESH_WATCHDOG_AT_START=1, **FAST_REDELIVERY)
    done = wait_for(lambda: row_for(key, Status.DONE), 60, "the watchdog to resume the run", [second])
    recovery = time.monotonic() - killed_at
    print(f"\nworker killed mid-run, new worker started at once: resumed and finished {recovery:.1f} s after the kill")
    assert before != snapshot() and CurrentRun.get() == done.rating_run
    assert done.attempts == 2 and "Resumed by the watchdog" in done.log
    # The killed message comes back later from the broker: it is recorded as a duplicate, not run again.
    skipped = wait_for(lambda: row_for(key, Status.SKIPPED), 150, "the redelivered duplicate", [second])
    print(f"the broker's redelivery arrived {time.monotonic() - killed_at:.1f} s after the kill and was skipped")
    assert "already done" in skipped.error
    assert RatingRun.objects.filter(status="done").count() == 2


def test_it_records_a_clear_error_when_redis_is_down_and_runs_when_it_is_back(own_redis, worker, client_for):
    (p1, p2, p3), good = rated_world()
    before = snapshot()
    w = worker()
    own_redis.stop()
    admin = client_for("admin")
    with publishing_to(own_redis.url):
        started = time.monotonic()
        response = admin.post(reverse("refresh:run"), follow=True)
        refused_after = time.monotonic() - started
    assert response.status_code == 200  # never a 500
    page = response.content.decode()
    assert "This refresh failed" in page and "The run could not be queued" in page
    failed = RefreshRun.objects.get(status=Status.FAILED)
    assert failed.pending and "Connection refused" in failed.error
    assert snapshot() == before  # nothing half-written
    print(f"\nRedis down: the run-now request was refused and recorded in {refused_after:.1f} s")

    own_redis.start()
    back_at = time.monotonic()
    # The watchdog's beat entry (every 15 minutes) fires; the worker has reconnected by itself.
    with publishing_to(own_redis.url):
        tasks.watchdog.apply_async()
    done = wait_for(lambda: RefreshRun.objects.filter(status=Status.DONE, trigger="watchdog").first(), 90,
                    "the watchdog to run the missed refresh", [w])
    print(f"Redis back: the missed run finished {time.monotonic() - back_at:.1f} s after Redis started again")
    assert done.key == f"retry:{failed.key}" and SchoolRating.objects.current().get(school=p3).priority == "1"
    failed.refresh_from_db()
    assert not failed.pending and failed.error  # the failure stays in the history with its error


def test_the_same_run_delivered_twice_at_once_runs_once(own_redis, worker):
    (p1, p2, p3), good = rated_world()
    # Two workers, each paused mid-run, so the two deliveries truly overlap.
    workers = [worker(PEP_REFRESH_TEST_PAUSE=3, CELERY_TASK_TIME_LIMIT=60) for _ in range(2)]
    key = "nightly:twice"
    started = time.monotonic()
    with publishing_to(own_redis.url):
        tasks.nightly_refresh.apply_async(args=[key])
        tasks.nightly_refresh.apply_async(args=[key])
    wait_for(lambda: RefreshRun.objects.filter(key=key, status__in=("done", "skipped")).count() == 2, 60,
             "both deliveries to finish", workers)
    print(f"\nsame run delivered twice at once: settled in {time.monotonic() - started:.1f} s")
    rows = RefreshRun.objects.filter(key=key)
    assert sorted(rows.values_list("status", flat=True)) == ["done", "skipped"]
    assert rows.get(status="skipped").error.startswith("Skipped: already")
    assert RatingRun.objects.filter(status="done").count() == 2  # one result (plus the earlier run)
    assert SchoolRating.objects.current().get(school=p3).priority == "1"


def test_one_schools_bad_data_fails_the_run_whole_and_names_the_school(own_redis, worker):
    (p1, p2, p3), good = rated_world()
    before = snapshot()
    w = worker(PEP_REFRESH_TEST_FAIL_URN=p2.urn)
    started = time.monotonic()
    with publishing_to(own_redis.url):
        tasks.nightly_refresh.apply_async(args=["nightly:bad-school"])
    failed = wait_for(lambda: row_for("nightly:bad-school", Status.FAILED), 60, "the run to fail", [w])
    print(f"\none school's data raises: the run failed whole in {time.monotonic() - started:.1f} s: {failed.error}")
    assert "Amber Road Primary" in failed.error or str(p2.urn) in failed.error
    assert snapshot() == before and CurrentRun.get() == good.rating_run  # nothing switched
    assert not SchoolRating.objects.filter(run__status="failed").exists()
    assert failed.attempts == 1  # a data error is not retried
    kill(w)
    fixed = worker()
    fixed_at = time.monotonic()
    with publishing_to(own_redis.url):
        tasks.nightly_refresh.apply_async(args=["nightly:bad-school-fixed"])
    wait_for(lambda: row_for("nightly:bad-school-fixed", Status.DONE), 60, "the next run", [fixed])
    print(f"with the data fixed the next run finished in {time.monotonic() - fixed_at:.1f} s")
    assert SchoolRating.objects.current().get(school=p3).priority == "1"
