"""Who is running an import's confirm, and whether they still are.

A confirm writes in one transaction, so a process killed in the middle wrote nothing; but its
ImportRecord stayed "running" for ever. Here a confirm holds a run lock for the import while it runs
(a PostgreSQL session advisory lock, which the server drops with a dead process's connection), and
records its process in the report. An import "running" whose lock is free (or, on SQLite, whose
process is gone) was interrupted: it goes back to waiting for confirmation, saying so.
"""

import os
import socket
from contextlib import contextmanager

from django.conf import settings
from django.db import connection
from django.utils import timezone

from schools.models import ImportRecord

# pg_try_advisory_lock(int4, int4): this class ("PEPI" less its top bit) and the import's id.
LOCK_CLASS = 0x50455049 & 0x7FFFFFFF
INTERRUPTED = ("Interrupted: the process running this import stopped before it finished. Nothing was "
               "written. Confirm it again to import it.")
Status = ImportRecord.Status


def _pg():
    return connection.vendor == "postgresql"


def _try_lock(pk):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_CLASS, pk % 2**31])
        return bool(cursor.fetchone()[0])


def _unlock(pk):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_CLASS, pk % 2**31])


@contextmanager
def run_lock(record):
    """Yields True while this process may run the import (no other process is running it)."""
    if not _pg():
        yield True  # SQLite: the status claim alone decides, and runner_alive() asks for the process
        return
    if not _try_lock(record.pk):
        yield False
        return
    try:
        yield True
    finally:
        _unlock(record.pk)


def runner():
    return {"host": socket.gethostname(), "pid": os.getpid(), "since": timezone.now().isoformat()}


def runner_alive(record):
    """Is a process still running this "running" import?"""
    if _pg():
        if not _try_lock(record.pk):
            return True
        _unlock(record.pk)
        return False
    info = (record.report or {}).get("runner") or {}
    if info.get("host") != socket.gethostname():
        # Another machine's process: given up once a task could no longer be running.
        since = timezone.datetime.fromisoformat(info["since"]) if info.get("since") else record.created_at
        return (timezone.now() - since).total_seconds() < settings.CELERY_TASK_TIME_LIMIT + 60
    try:
        os.kill(int(info.get("pid", 0)) or -1, 0)
    except (ProcessLookupError, ValueError):
        return False
    except PermissionError:
        return True
    return True


def claim(record, allowed):
    """Move the import to RUNNING if it is in `allowed`, in one UPDATE: True if this process won."""
    report = {**(record.report or {}), "runner": runner()}
    report.pop("interrupted", None)
    won = ImportRecord.objects.filter(pk=record.pk, status__in=allowed).update(
        status=Status.RUNNING, progress=0, report=report)
    record.refresh_from_db()
    return bool(won)


def recover_interrupted(records=None):
    """Imports left "running" by a dead process go back to waiting for confirmation, marked interrupted."""
    running = ImportRecord.objects.filter(status=Status.RUNNING)
    if records is not None:
        running = running.filter(pk__in=[r.pk for r in records])
    for record in running:
        if runner_alive(record):
            continue
        report = {**(record.report or {}), "interrupted": timezone.now().isoformat()}
        ImportRecord.objects.filter(pk=record.pk, status=Status.RUNNING).update(
            status=Status.PREVIEWED, progress=0, message=INTERRUPTED, report=report)
