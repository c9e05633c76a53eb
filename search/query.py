"""Reading the index: the same question, the same addresses, on both databases.

PostgreSQL: full-text search on the GIN-indexed tsvector, `websearch_to_tsquery` (quotes for a
phrase, `or`, `-word`), ranked by ts_rank with title words weighted above summary and body.
SQLite: full-text search on the FTS5 table (porter stemming, as PostgreSQL's `english` stems):
every word of the query must match, as a word or the start of one; ranked by bm25 with the title
weighted 10, the summary 4 and the body 1.

One query returns the top results of every kind and each kind's total (window functions).
"""

import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber

from .index import CONFIG, FTS_TABLE
from .models import SearchDocument
from .registry import PROVIDERS

MAX_QUERY = 200
MAX_WORDS = 8
PER_KIND = 5
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
DOCS = SearchDocument._meta.db_table
# The FTS5 matches with their bm25 rank (lower is better), to join to the documents.
FTS_MATCHES = (
    f"SELECT rowid AS doc_id, bm25({FTS_TABLE}, 10.0, 4.0, 1.0) AS rank FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608
)


@dataclass
class Group:
    kind: str
    label: str
    total: int
    results: list = field(default_factory=list)


def clean(text):
    """The query as searched and shown: control characters (PostgreSQL refuses NUL) and runs of spaces go."""
    return " ".join(CONTROL.sub(" ", text or "").split())[:MAX_QUERY]


def fts_expression(text):
    """SQLite: each word quoted (so nothing in it is FTS5 syntax) and matched as a word or its start."""
    found = [w for w in re.findall(r"\w+", text.lower()) if len(w) > 1][:MAX_WORDS]
    return " ".join(f'"{word}"*' for word in found)


def _postgres_matches(text):
    query = SearchQuery(text, search_type="websearch", config=CONFIG)
    return SearchDocument.objects.filter(vector=query).annotate(rank=SearchRank(F("vector"), query))


def _top_per_kind(text, per_kind):
    if connection.vendor == "postgresql":
        return _postgres_matches(text).annotate(
            place=Window(RowNumber(), partition_by=[F("kind")], order_by=[F("rank").desc(), F("title").asc()]),
            total=Window(Count("pk"), partition_by=[F("kind")]),
        ).filter(place__lte=per_kind).only("kind", "title", "summary", "url").order_by("kind", "place")
    expression = fts_expression(text)
    if not expression:
        return []
    return SearchDocument.objects.raw(
        "SELECT id, kind, title, summary, url, place, total FROM ("  # noqa: S608 - constants only; values are params
        " SELECT d.id, d.kind, d.title, d.summary, d.url,"
        "  ROW_NUMBER() OVER (PARTITION BY d.kind ORDER BY m.rank, d.title) AS place,"
        "  COUNT(*) OVER (PARTITION BY d.kind) AS total"
        f" FROM ({FTS_MATCHES}) AS m JOIN {DOCS} AS d ON d.id = m.doc_id"
        ") WHERE place <= %s ORDER BY kind, place",
        [expression, per_kind],
    )


def grouped(text, per_kind=PER_KIND):
    """[Group] in the registry's order, each with its best `per_kind` results and its total."""
    groups = {kind: Group(kind, provider.label, 0) for kind, provider in PROVIDERS.items()}
    for doc in _top_per_kind(text, per_kind):
        group = groups.get(doc.kind)
        if group is not None:
            group.total = doc.total
            group.results.append(doc)
    return [group for group in groups.values() if group.total]


class _RankedIds:
    """SQLite: one kind's matches as ids in rank order; a page's documents are read when sliced."""

    def __init__(self, ids):
        self.ids = ids

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, index):
        ids = self.ids[index]
        found = SearchDocument.objects.in_bulk(ids)
        return [found[i] for i in ids if i in found]


def of_kind(text, kind):
    """Every match of one kind, best first (the "all results" page of a group; the view pages it)."""
    if connection.vendor == "postgresql":
        return _postgres_matches(text).filter(kind=kind).order_by("-rank", "title").only("kind", "title", "summary", "url")
    expression = fts_expression(text)
    if not expression:
        return _RankedIds([])
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT d.id FROM ({FTS_MATCHES}) AS m JOIN {DOCS} AS d ON d.id = m.doc_id "  # noqa: S608 - params below
            "WHERE d.kind = %s ORDER BY m.rank, d.title",
            [expression, kind],
        )
        return _RankedIds([row[0] for row in cursor.fetchall()])
