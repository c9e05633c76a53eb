"""A bulletin survives a Celery worker killed mid-send: nobody gets it twice, everybody else gets it.

Real Redis (CELERY_BROKER_URL), a real worker (SIGKILLed, whole process group) and PostgreSQL, which
the worker shares. The workers send through a slow mail backend that appends each recipient to a
file as the mail server would receive it, so the test counts what really went out across both workers.
"""

import collections
import os
import signal
import threading
import time

import pytest
from django.db import connection

from communications import sending
from communications.models import Bulletin, Delivery, Subscriber

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BACKEND = "communications.tests.backends.SlowLoggingBackend"
# The restarted worker: short limits so the dead worker's batch comes back within the test.
FAST_REDELIVERY = {"CELERY_VISIBILITY_TIMEOUT": "20", "CELERY_TASK_TIME_LIMIT": "10", "BULLETIN_CLAIM_STALE_SECONDS": "5"}


def wait_for(condition, timeout, what, workers=()):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    logs = "".join("".join(getattr(w, "output", [])[-40:]) for w in workers)
    pytest.fail(f"timed out after {timeout} s waiting for {what}\n--- worker output ---\n{logs}")


@pytest.fixture
def worker(celery_worker_process, tmp_path):
    if connection.vendor != "postgresql":
        pytest.fail("the send fault test needs PostgreSQL (DATABASE_URL=postgres://...), which a worker can share")
    from pep_portal.celery import app

    app.control.purge()  # nothing left over from another run on this broker
    log = tmp_path / "mail.log"
    log.touch()
    started = []

    def start(**extra_env):
        env = {"EMAIL_BACKEND": BACKEND, "PEP_TEST_MAIL_LOG": str(log), **extra_env}
        proc = celery_worker_process(extra_env=env)
        proc.output = []
        threading.Thread(target=lambda: [proc.output.append(line) for line in proc.stdout], daemon=True).start()
        started.append(proc)
        return proc

    start.log = log
    yield start
    for proc in started:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)


def test_a_worker_killed_mid_send_never_sends_twice_and_the_rest_still_go(worker, settings):
    settings.BULLETIN_BATCH_SIZE = 6
    Subscriber.objects.bulk_create(
        [Subscriber(email=f"s{i:02}@example.net", status=Subscriber.Status.ACTIVE) for i in range(24)]
    )
    bulletin = Bulletin.objects.create(subject="This week", body="Hello.")
    first = worker(PEP_TEST_MAIL_DELAY="0.5")
    sending.queue(bulletin.pk)
    sent_lines = lambda: worker.log.read_text().splitlines()  # noqa: E731
    wait_for(lambda: len(sent_lines()) >= 3, 60, "the first worker to send three", [first])
    os.killpg(first.pid, signal.SIGKILL)  # what a host or container kill does
    first.wait(10)
    killed_at = time.monotonic()
    before = collections.Counter(sent_lines())
    assert Bulletin.objects.get(pk=bulletin.pk).status == Bulletin.Status.SENDING

    second = worker(PEP_TEST_MAIL_DELAY="0.05", **FAST_REDELIVERY)
    wait_for(lambda: Bulletin.objects.filter(pk=bulletin.pk, status=Bulletin.Status.SENT).exists(), 120,
             "the bulletin to finish", [second])
    print(f"\nworker killed after {sum(before.values())} mails; the bulletin finished "
          f"{time.monotonic() - killed_at:.1f} s later (visibility timeout 20 s)")

    received = collections.Counter(sent_lines())
    assert max(received.values()) == 1, [a for a, n in received.items() if n > 1]  # nobody twice
    rows = dict(Delivery.objects.filter(bulletin=bulletin).values_list("email", "state"))
    assert len(rows) == 24
    interrupted = [a for a, s in rows.items() if s == Delivery.State.INTERRUPTED]
    print(f"{len(received)} addresses received it once each; {len(interrupted)} recorded as interrupted")
    assert len(interrupted) <= 1  # at most the one being sent at the kill
    assert set(received) - set(interrupted) == {a for a, s in rows.items() if s == Delivery.State.SENT}
    assert len(received) >= 23
