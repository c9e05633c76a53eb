"""A confirm does its work once, and an import whose process died is shown as interrupted (real PostgreSQL).

Two confirm POSTs at the same moment write once. A web process killed in the middle of a confirm
leaves nothing written; the import then says it was interrupted and can be confirmed again.
"""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

from conftest import sign_in
from schools.imports import pipeline
from schools.models import ImportRecord, School
from schools.tests.test_register_import import ROWS, register

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _postgres_and_shared_media(settings, tmp_path):
    if connection.vendor != "postgresql":
        pytest.fail("these tests need PostgreSQL (DATABASE_URL=postgres://...), which another process can share")
    settings.MEDIA_ROOT = tmp_path / "media"


def previewed(*rows):
    record = pipeline.preview(register(*rows), "edubasealldata.csv", source="web")
    assert record.status == ImportRecord.Status.PREVIEWED, record.message
    return record


def test_two_confirm_posts_at_the_same_moment_write_once(personas, monkeypatch):
    record = previewed(*ROWS)
    kind = pipeline.get_kind(record.kind)
    writes = []
    original = kind.write

    def slow_write(ctx, plan):
        writes.append(threading.get_ident())
        time.sleep(1)  # long enough for the other request to arrive while this one writes
        return original(ctx, plan)

    monkeypatch.setattr(kind, "write", slow_write)
    barrier, answers = threading.Barrier(2), []

    def press():
        client = sign_in(Client(), personas.admin)
        barrier.wait()
        try:
            answers.append(client.post(f"/dashboard/imports/{record.pk}/confirm/").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=press) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert answers == [302, 302]
    assert len(writes) == 1
    record.refresh_from_db()
    assert record.status == ImportRecord.Status.DONE and School.objects.count() == 3


def child_env():
    db = connection.settings_dict
    return {**os.environ, "DATABASE_URL": f"postgres://{db['USER'] or ''}@{db['HOST'] or '127.0.0.1'}:"
                                          f"{db['PORT'] or 5432}/{db['NAME']}"}


# The child's kind writes, then says so in a file and waits inside the write transaction to be killed.
CHILD = """
import pathlib, time
import django
django.setup()
from django.conf import settings
settings.MEDIA_ROOT = {media!r}
from schools.imports import pipeline
from schools.models import ImportRecord
kind = pipeline.get_kind("gias_establishments")
write = kind.write
def write_then_wait(ctx, plan):
    written = write(ctx, plan)
    pathlib.Path({flag!r}).touch()
    time.sleep(60)
    return written
kind.write = write_then_wait
pipeline.confirm(ImportRecord.objects.get(pk={pk}))
"""


def test_a_process_killed_mid_confirm_leaves_nothing_written_and_the_import_can_run_again(personas, settings,
                                                                                          tmp_path):
    record = previewed(*ROWS)
    flag = tmp_path / "written"
    code = CHILD.format(media=str(settings.MEDIA_ROOT), flag=str(flag), pk=record.pk)
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=child_env(), start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while not flag.exists():
            assert proc.poll() is None, proc.stdout.read()
            assert time.monotonic() < deadline, "the confirm never reached its write"
            time.sleep(0.1)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)
    assert School.objects.count() == 0  # the transaction died with the process
    admin = sign_in(Client(), personas.admin)
    status = admin.get(f"/dashboard/imports/{record.pk}/status.json").json()
    assert status["done"] and "interrupted" in status["message"].lower(), status
    page = admin.get(f"/dashboard/imports/{record.pk}/").content.decode()
    assert "interrupted" in page.lower() and "nothing was written" in page.lower()
    # It can be run again, and then it is imported whole.
    assert admin.post(f"/dashboard/imports/{record.pk}/confirm/").status_code == 302
    record.refresh_from_db()
    assert record.status == ImportRecord.Status.DONE and School.objects.count() == 3
    assert not ImportRecord.objects.filter(status=ImportRecord.Status.RUNNING).exists()
