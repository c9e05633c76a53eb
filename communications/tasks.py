"""Celery tasks for the bulletin: thin wrappers over communications.sending (in-process with no broker).

Late acknowledgement (the portal's defaults) means a batch whose worker died is delivered again; the
claim on each delivery row makes that second run skip every address the first one reached.
"""

from celery import shared_task

from . import sending


@shared_task(bind=True, acks_late=True)
def send_bulletin_batch(self, bulletin_id, first_id, last_id):
    wait = sending.send_batch(bulletin_id, first_id, last_id)
    # In-process (no broker) a retry would run at once, without the pause: `send_bulletins` resumes instead.
    if wait is not None and not self.request.is_eager:
        send_bulletin_batch.apply_async((bulletin_id, first_id, last_id), countdown=wait)
    return wait


@shared_task(acks_late=True)
def send_due_bulletins():
    """Beat, every minute: scheduled bulletins whose time has come, and sends that lost their way."""
    return sending.send_due()
