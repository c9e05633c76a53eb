"""Watermarks: how far the search index is up to date, per source (written after a full rebuild, read by the catch-ups).

Its own module because both the index (after a rebuild) and the catch-ups (before a search) write it,
and the catch-ups call the index.
"""

from django.db.models import Max
from django.utils import timezone

from .models import IndexState
from .registry import PROVIDERS

SOURCE = "register"


def mark_indexed():
    """After a full rebuild: the register is indexed up to its newest change."""
    from schools.models import School

    latest = School.objects.aggregate(m=Max("updated_at"))["m"]
    IndexState.objects.update_or_create(source=SOURCE, defaults={"indexed_up_to": latest})


def due(kind, field, now):
    """The provider's public objects whose date has come (its queryset already leaves out the rest)."""
    return PROVIDERS[kind].queryset().filter(**{f"{field}__lte": now}).order_by()


def mark_scheduled(kind, now=None):
    """After a kind's full rebuild: its objects whose date has come are all indexed."""
    field = PROVIDERS[kind].scheduled_by
    latest = due(kind, field, now or timezone.now()).aggregate(m=Max(field))["m"]
    IndexState.objects.update_or_create(source=f"scheduled:{kind}", defaults={"indexed_up_to": latest})
