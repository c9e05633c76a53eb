"""The nightly "search index" beat entry (migration 0002): a thin wrapper over search.index.rebuild."""

from celery import shared_task

from . import index


@shared_task(acks_late=True)
def rebuild_search_index():
    return index.rebuild()
