"""Writing the search index. Every write for a kind is one transaction: readers see the old documents
until the new ones are complete (a rebuild is built beside the old rows and switched at commit).

On PostgreSQL each document gets a weighted tsvector (title A, summary B, body C) under the
`english` configuration, GIN-indexed. On SQLite each document gets a row (rowid = its id) in the
FTS5 table `search_fts` (porter stemming), kept in step here.
"""

import logging

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction

from .models import SearchDocument
from .registry import PROVIDERS
from .watermarks import mark_indexed, mark_scheduled

logger = logging.getLogger(__name__)
CONFIG = "english"
FTS_TABLE = "search_fts"
BATCH = 2000
LIMITS = {"title": 300, "summary": 300, "url": 300}


def _row(kind, doc):
    return SearchDocument(
        kind=kind, key=doc.key, title=doc.title[: LIMITS["title"]], summary=doc.summary[: LIMITS["summary"]],
        url=doc.url[: LIMITS["url"]], body=doc.body, when=doc.when,
    )


def _ids_sql(queryset):
    sql, params = queryset.values("id").query.sql_with_params()
    return sql, list(params)


def _unindex(queryset):
    """SQLite: the documents' rows leave the FTS5 table (before the documents themselves go)."""
    if connection.vendor == "sqlite":
        sql, params = _ids_sql(queryset)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({sql})", params)  # noqa: S608 - ORM SQL


def _vectorise(queryset):
    """The documents become searchable: a weighted tsvector on PostgreSQL, FTS5 rows on SQLite."""
    if connection.vendor == "sqlite":
        _unindex(queryset)  # a stale row under a reused id would otherwise answer for the new document
        sql, params = _ids_sql(queryset)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {FTS_TABLE}(rowid, title, summary, body) "  # noqa: S608 - ORM SQL
                f"SELECT id, title, summary, body FROM {SearchDocument._meta.db_table} WHERE id IN ({sql})", params
            )
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
    kinds = kinds or list(PROVIDERS)
    if "schools" in kinds:
        mark_indexed()  # read first: a school changed during the rebuild is caught up afterwards
    for kind in kinds:
        with transaction.atomic():
            if PROVIDERS[kind].scheduled_by:
                mark_scheduled(kind)  # read first, as above: a date arriving mid-rebuild is caught up after
            _unindex(SearchDocument.objects.filter(kind=kind))
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
        _unindex(SearchDocument.objects.filter(kind=kind, key__in=keys))
        SearchDocument.objects.filter(kind=kind, key__in=keys).delete()
        _write(kind, PROVIDERS[kind].queryset().filter(pk__in=pks))
        _vectorise(SearchDocument.objects.filter(kind=kind, key__in=keys))
