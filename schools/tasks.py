"""Celery tasks: thin wrappers over the import pipeline (eager when no broker is configured)."""

from celery import shared_task


@shared_task(acks_late=True)
def run_import(record_id):
    """Confirm a previewed import in the background; progress is kept on the ImportRecord.

    Safe to run twice: confirm() does nothing for an import that is no longer queued or previewed.
    """
    from schools.imports.pipeline import confirm
    from schools.models import ImportRecord

    record = ImportRecord.objects.filter(pk=record_id).first()
    if record is None:
        return "missing"
    return confirm(record, resume=True).status
