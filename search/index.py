"""Writing the search index. Every write for a kind is one transaction: readers see the old documents
until the new ones are complete (a rebuild is built beside the old rows and switched at commit).

On PostgreSQL each document gets a weighted tsvector (title A, summary B, body C) under the
`english` configuration; on SQLite the vector stays empty and search.query matches words instead.
"""

import logging

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction

from .models import SearchDocument
from .registry import PROVIDERS

logger = logging.getLogger(__name__)
CONFIG = "english"
BATCH = 2000
LIMITS = {"title": 300, "summary": 300, "url": 300}


def _row(kind, doc):
    return SearchDocument(
        kind=kind, key=doc.key, title=doc.title[: LIMITS["title"]], summary=doc.summary[: LIMITS["summary"]],
        url=doc.url[: LIMITS["url"]], body=doc.body, when=doc.when,
    )


def _vectorise(queryset):
    if connection.vendor != "postgresql":
        return
    queryset.update(
        vector=SearchVector("title", weight="A", config=CONFIG)
        + SearchVector("summary", weight="B", config=CONFIG)
        + SearchVector("body", weight="C", config=CONFIG)
    )


def _write(kind, objects):
    rows = [_row(kind, PROVIDERS[kind].document(obj)) for obj in objects]
    SearchDocument.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def rebuild(kinds=None):
    """Every document of the given kinds (default: all) from scratch. Returns {kind: documents}."""
    counts = {}
    for kind in kinds or list(PROVIDERS):
        with transaction.atomic():
            SearchDocument.objects.filter(kind=kind).delete()
            # iterator() with a chunk size keeps memory flat and still honours prefetch_related.
            counts[kind] = _write(kind, PROVIDERS[kind].queryset().iterator(chunk_size=BATCH))
            _vectorise(SearchDocument.objects.filter(kind=kind))
    return counts


def reindex(kind, pks):
    """The documents of these objects of one kind, as they are now (gone if no longer public)."""
    keys = [str(pk) for pk in pks]
    if not keys:
        return
    with transaction.atomic():
        SearchDocument.objects.filter(kind=kind, key__in=keys).delete()
        _write(kind, PROVIDERS[kind].queryset().filter(pk__in=pks))
        _vectorise(SearchDocument.objects.filter(kind=kind, key__in=keys))
