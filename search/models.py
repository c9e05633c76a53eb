"""The search index: one row per public thing a visitor can find, written only by search.index.

Only what a provider (search.providers) hands over is ever stored, and providers read public
querysets only: exempt agenda items, draft minutes, draft events and strategies, and anything from
the dashboard (ratings, priorities, support) never reach this table.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class VectorField(SearchVectorField):
    """A tsvector on PostgreSQL (GIN-indexed, migration 0002); an unused text column on SQLite, where
    the FTS5 table search_fts (same migration) indexes the documents instead."""

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else "text"


class SearchDocument(models.Model):
    kind = models.CharField(max_length=30)
    key = models.CharField(max_length=60, help_text="The object's id within its kind.")
    title = models.CharField(max_length=300)
    summary = models.CharField(max_length=300, blank=True)
    url = models.CharField(max_length=300)
    body = models.TextField(blank=True, help_text="Searchable text beyond the title, already public.")
    when = models.DateTimeField(null=True, blank=True)
    vector = VectorField(null=True, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="one_document_per_object")]

    def __str__(self):
        return f"{self.kind}: {self.title}"


class IndexState(models.Model):
    """How far a bulk-written source has been indexed (search.freshness): one row per source."""

    source = models.CharField(max_length=30, primary_key=True)
    indexed_up_to = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.source}: {self.indexed_up_to}"
