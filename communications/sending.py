"""Sending a bulletin: queue, claim, send, record. The docstring is the spec.

queue(bulletin_id) makes one Delivery row per active subscriber in one set-based INSERT (unique on
bulletin and address, so running it twice adds nobody twice), marks the bulletin "sending" and hands
the rows to Celery in batches of BULLETIN_BATCH_SIZE (an id range each). A bulletin that is not a
draft or scheduled is left alone, so a double-clicked "send" queues it once.

send_batch(bulletin_id, first_id, last_id) takes each pending row of its range in turn:
  1. claim it: UPDATE ... SET state='sending' WHERE id=? AND state='pending', committed before the
     mail server is spoken to. A row another worker claimed, or one claimed by a worker that died, is
     never claimed again, so no address gets a bulletin twice, whatever is killed or delivered twice;
  2. send it through the batch's one SMTP connection;
  3. record the result: sent; failed (a permanent refusal: 5xx, a bad address); or, for a temporary
     failure (4xx, connection refused or lost), back to pending with the error, to be tried again by
     the same batch after a pause, up to BULLETIN_MAX_ATTEMPTS, then failed.
A row still "sending" BULLETIN_CLAIM_STALE_SECONDS after its claim belonged to a worker that died
between claim and record: the mail may or may not have left, so it is recorded as interrupted and not
sent again. When no row is pending or sending, the bulletin is sent.
"""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection as db
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from . import emails
from .models import OPEN_STATES, Bulletin, Delivery, Subscriber

log = logging.getLogger(__name__)
State = Delivery.State
# The Celery task that sends one batch (tasks.send_bulletin_batch). tasks.py wraps this module, so
# CommunicationsConfig.ready() hands the task in here instead of this module importing it back.
batch_task = None


def queue(bulletin_id):
    """Make the deliveries and hand them to the workers; returns the bulletin."""
    with transaction.atomic():
        bulletin = Bulletin.objects.select_for_update().get(pk=bulletin_id)
        if not bulletin.is_editable:
            return bulletin
        bulletin.recipients = _create_deliveries(bulletin)
        bulletin.status = Bulletin.Status.SENDING
        bulletin.queued_at = timezone.now()
        bulletin.save(update_fields=["recipients", "status", "queued_at", "updated_at"])
    # After the commit, so a worker never looks for rows it cannot see yet.
    dispatch(bulletin.pk, Delivery.objects.filter(bulletin=bulletin))
    finish_if_done(bulletin.pk)
    return bulletin


def _create_deliveries(bulletin):
    delivery, subscriber = Delivery._meta.db_table, Subscriber._meta.db_table
    with db.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {delivery} (bulletin_id, subscriber_id, email, state, attempts, error) "  # noqa: S608
            f"SELECT %s, id, email, %s, 0, '' FROM {subscriber} WHERE status = %s ORDER BY id "
            "ON CONFLICT DO NOTHING",
            [bulletin.pk, State.PENDING, Subscriber.Status.ACTIVE],
        )
    return Delivery.objects.filter(bulletin=bulletin).count()


def batches(rows):
    """(first id, last id) ranges of BULLETIN_BATCH_SIZE rows each."""
    ids = list(rows.order_by("pk").values_list("pk", flat=True))
    size = settings.BULLETIN_BATCH_SIZE
    return [(ids[i], ids[min(i + size, len(ids)) - 1]) for i in range(0, len(ids), size)]


def dispatch(bulletin_id, rows):
    for first, last in batches(rows):
        batch_task.delay(bulletin_id, first, last)


# ------------------------------------------------------------------------------ one batch


def temporary(exc):
    """True for a failure worth trying again later: the server said 4xx, or could not be reached."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    return isinstance(exc, smtplib.SMTPServerDisconnected | OSError)


def claim(pk):
    now = timezone.now()
    return Delivery.objects.filter(pk=pk, state=State.PENDING).update(
        state=State.SENDING, claimed_at=now, attempts=F("attempts") + 1
    ) == 1


def record(pk, state, error=""):
    Delivery.objects.filter(pk=pk, state=State.SENDING).update(
        state=state, finished_at=timezone.now(), error=str(error)[:500]
    )


def release(pk, exc):
    """A temporary failure: pending again for the retry (True), or failed once the attempts are used up."""
    row = Delivery.objects.get(pk=pk)
    if row.attempts >= settings.BULLETIN_MAX_ATTEMPTS:
        record(pk, State.FAILED, f"Gave up after {row.attempts} attempts: {exc}")
        return False
    Delivery.objects.filter(pk=pk, state=State.SENDING).update(state=State.PENDING, error=str(exc)[:500])
    return True


def send_batch(bulletin_id, first_id, last_id):
    """Send what can be claimed in the range. Returns seconds to wait before running it again, or None."""
    bulletin = Bulletin.objects.get(pk=bulletin_id)
    rows = Delivery.objects.filter(bulletin_id=bulletin_id, pk__gte=first_id, pk__lte=last_id)
    parts = emails.bulletin_parts(bulletin)
    pending = rows.filter(state=State.PENDING).order_by("pk").values_list(
        "pk", "email", "subscriber__token", "subscriber__status"
    )
    failed_for_now = _send_rows(parts, pending)
    wait = None
    if failed_for_now:
        wait = retry_delay(rows)
    else:
        wait = _settle_stale(rows)
    finish_if_done(bulletin_id)
    return wait


def _send_rows(parts, pending):
    mail = get_connection()
    try:
        for pk, email, token, status in pending:
            message = emails.bulletin_message(parts, email, token, mail)
            if not claim(pk):
                continue  # another worker has it, or had it and died: never sent twice
            if status != Subscriber.Status.ACTIVE:  # unsubscribed after the bulletin was queued
                record(pk, State.SKIPPED)
                continue
            try:
                mail.send_messages([message])
            except Exception as exc:  # noqa: BLE001 - every refusal is recorded on the row
                if not temporary(exc):
                    record(pk, State.FAILED, exc)
                    continue
                log.warning("bulletin delivery %s: temporary failure %s", pk, exc)
                if release(pk, exc):
                    return True  # the server is struggling: the rest wait for the retry
            record(pk, State.SENT)
    finally:
        mail.close()
    return False


def retry_delay(rows):
    attempts = rows.aggregate(n=Max("attempts"))["n"] or 1
    return min(30 * 2 ** (attempts - 1), 900)


def _settle_stale(rows):
    """Rows claimed by a worker that died: interrupted once stale; else seconds until they are."""
    cutoff = timezone.now() - timedelta(seconds=settings.BULLETIN_CLAIM_STALE_SECONDS)
    rows.filter(state=State.SENDING, claimed_at__lt=cutoff).update(
        state=State.INTERRUPTED, finished_at=timezone.now(),
        error="The worker sending it stopped before recording the result; not sent again.",
    )
    youngest = rows.filter(state=State.SENDING).aggregate(at=Max("claimed_at"))["at"]
    if youngest is None:
        return None
    return max(1, int((youngest - cutoff).total_seconds()) + 1)


def finish_if_done(bulletin_id):
    if Delivery.objects.filter(OPEN_STATES, bulletin_id=bulletin_id).exists():
        return False
    return bool(Bulletin.objects.filter(pk=bulletin_id, status=Bulletin.Status.SENDING).update(
        status=Bulletin.Status.SENT, sent_at=timezone.now()
    ))


# ------------------------------------------------------------------------------ beat


def send_due(now=None):
    """The beat entry (every minute) and `manage.py send_bulletins`: scheduled bulletins whose time
    has come are queued; a sending bulletin that made no progress for the stale time is picked up
    again (its lost batches re-dispatched, claims settled). Returns what it did."""
    now = now or timezone.now()
    due = list(Bulletin.objects.filter(status=Bulletin.Status.SCHEDULED, send_at__lte=now).values_list("pk", flat=True))
    for pk in due:
        queue(pk)
    resumed = [pk for pk in Bulletin.objects.filter(status=Bulletin.Status.SENDING).values_list("pk", flat=True)
               if _resume_if_stuck(pk, now)]
    return {"queued": due, "resumed": resumed}


def _resume_if_stuck(bulletin_id, now):
    cutoff = now - timedelta(seconds=settings.BULLETIN_CLAIM_STALE_SECONDS)
    rows = Delivery.objects.filter(bulletin_id=bulletin_id)
    recent = rows.filter(claimed_at__gte=cutoff).exists() or rows.filter(finished_at__gte=cutoff).exists()
    if recent or Bulletin.objects.filter(pk=bulletin_id, queued_at__gte=cutoff).exists():
        return False
    _settle_stale(rows)
    dispatch(bulletin_id, rows.filter(state=State.PENDING))
    return not finish_if_done(bulletin_id)
