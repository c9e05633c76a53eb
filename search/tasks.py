"""Search index tasks: the nightly "search index" beat entry (migration 0002), and the catch-up a
finished register import queues (search.signals)."""

from celery import shared_task

from . import freshness, index


@shared_task(acks_late=True)
def rebuild_search_index():
    return index.rebuild()


@shared_task(acks_late=True)
def catch_up_register():
    return freshness.catch_up()
