"""Reading the index: the same question, the same addresses, on both databases.

PostgreSQL: full-text search on the GIN-indexed tsvector, `websearch_to_tsquery` (quotes for a
phrase, `or`, `-word`), ranked by ts_rank with title words weighted above summary and body.
SQLite: every word of the query must appear (case-insensitive) in the title, summary or body;
ranked by where the words are found (title 3, summary 2, body 1 per word).

One query returns the top results of every kind and each kind's total (window functions).
"""

import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Q, Value, When, Window
from django.db.models.functions import RowNumber

from .index import CONFIG
from .models import SearchDocument
from .registry import PROVIDERS

MAX_QUERY = 200
MAX_WORDS = 8
PER_KIND = 5


@dataclass
class Group:
    kind: str
    label: str
    total: int
    results: list = field(default_factory=list)


def words(text):
    return [w for w in re.findall(r"\w+", text.lower()) if len(w) > 1][:MAX_WORDS]


CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def clean(text):
    """The query as searched and shown: control characters (PostgreSQL refuses NUL) and runs of spaces go."""
    return " ".join(CONTROL.sub(" ", text or "").split())[:MAX_QUERY]


def matches(text):
    """Documents matching the query, annotated with `rank` (higher is better); none for an empty query."""
    if connection.vendor == "postgresql":
        query = SearchQuery(text, search_type="websearch", config=CONFIG)
        return SearchDocument.objects.filter(vector=query).annotate(rank=SearchRank(F("vector"), query))
    found = words(text)
    if not found:
        return SearchDocument.objects.annotate(rank=Value(0)).none()
    condition, score = Q(), Value(0)
    for word in found:
        condition &= Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word)
        score = score + _points(word)
    return SearchDocument.objects.filter(condition).annotate(rank=score)


def _points(word):
    return Case(
        When(title__icontains=word, then=Value(3)),
        When(summary__icontains=word, then=Value(2)),
        default=Value(1),
        output_field=IntegerField(),
    )


def grouped(text, per_kind=PER_KIND):
    """[Group] in the registry's order, each with its best `per_kind` results and its total."""
    ranked = matches(text).annotate(
        place=Window(RowNumber(), partition_by=[F("kind")], order_by=[F("rank").desc(), F("title").asc()]),
        total=Window(Count("pk"), partition_by=[F("kind")]),
    ).filter(place__lte=per_kind).only("kind", "title", "summary", "url")
    groups = {kind: Group(kind, provider.label, 0) for kind, provider in PROVIDERS.items()}
    for doc in ranked.order_by("kind", "place"):
        group = groups.get(doc.kind)
        if group is not None:
            group.total = doc.total
            group.results.append(doc)
    return [group for group in groups.values() if group.total]


def of_kind(text, kind):
    """Every match of one kind, best first (the "all results" page of a group; the view pages it)."""
    return matches(text).filter(kind=kind).order_by("-rank", "title").only("kind", "title", "summary", "url")
