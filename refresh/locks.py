"""The refresh lock: only one thing rates at a time (the nightly run, "run now", a command, the demo).

A PostgreSQL advisory lock (released by PostgreSQL itself if the worker dies and its connection
drops); elsewhere a lock row claimed by one UPDATE, taken as stale after the hard time limit.
"""

import datetime as dt
import logging
import os
import threading
import uuid
from contextlib import contextmanager

import kombu.exceptions
import redis.exceptions
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db import InterfaceError as DbInterfaceError
from django.db import OperationalError as DbOperationalError
from django.db.models import Q
from django.utils import timezone

from .models import RefreshLock

logger = logging.getLogger(__name__)

# Errors worth retrying with back-off: the database or the broker did not answer.
TRANSIENT_ERRORS = (
    DbOperationalError, DbInterfaceError, redis.exceptions.ConnectionError, redis.exceptions.TimeoutError,
    kombu.exceptions.OperationalError,
)
# What sending a task raises when the broker is down.
BROKER_ERRORS = (
    ConnectionError, TimeoutError, OSError, kombu.exceptions.OperationalError, redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
)

LOCK_NAME = "nightly-refresh"
REQUEST_LOCK_NAME = "run-now-request"  # serialises "run now" presses (refresh.api.request_run)
# pg_try_advisory_lock takes a bigint; this one is "PEPR" in ASCII, reserved for the refresh.
ADVISORY_LOCK_KEY = 0x50455052

_local = threading.local()


class Busy(Exception):
    """Another run holds the refresh lock."""


def lock_stale_after():
    """A lock row older than this belongs to a run the hard time limit has already killed."""
    return dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)


def _uses_advisory_lock():
    return connection.vendor == "postgresql"


def _acquire():
    if _uses_advisory_lock():
        # Session-level: PostgreSQL releases it by itself if the worker dies and its connection drops.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_LOCK_KEY])
            return bool(cursor.fetchone()[0]), None
    token = f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
    now = timezone.now()
    with transaction.atomic():
        RefreshLock.objects.get_or_create(name=LOCK_NAME)
    # One UPDATE claims the row only if it is free or stale: atomic on every database.
    claimed = (
        RefreshLock.objects.filter(name=LOCK_NAME)
        .filter(Q(holder="") | Q(acquired_at__isnull=True) | Q(acquired_at__lt=now - lock_stale_after()))
        .update(holder=token, acquired_at=now)
    )
    return claimed == 1, token


def _release(token):
    try:
        if _uses_advisory_lock():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK_KEY])
        else:
            RefreshLock.objects.filter(name=LOCK_NAME, holder=token).update(holder="", acquired_at=None)
    except DatabaseError:
        # A session lock must never outlive its run: a connection that cannot unlock is closed, and
        # PostgreSQL drops its locks with it (with persistent connections it would otherwise stay held).
        logger.warning("could not release the refresh lock; closing the connection", exc_info=True)
        connection.close()


@contextmanager
def refresh_lock():
    """Yields True while this process holds the refresh lock, False if another run holds it.

    Never re-entrant: a second acquire in the same process (PostgreSQL would grant it to the same
    session) counts as "already running" too.
    """
    if getattr(_local, "held", False):
        yield False
        return
    got, token = _acquire()
    if not got:
        yield False
        return
    _local.held = True
    try:
        yield True
    finally:
        _local.held = False
        _release(token)


def lock_is_free():
    with refresh_lock() as got:
        return got
