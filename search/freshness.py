"""Schools and trusts are written in bulk by the register import, which sends no per-row signals.
Before each search, `catch_up()` asks one indexed question (the newest School.updated_at, the same one
the register cache asks) and, when the register changed since it was last indexed, re-indexes the
schools changed since then and the trusts (a few thousand at most). With a broker, the import's
completion also queues the same catch-up for a worker (search.signals), so visitors rarely wait.

Objects that become public when a date arrives, with no save (a news post scheduled for later), are
caught up the same way by `catch_up_scheduled()`: one indexed question per such kind (the newest date
that has come), and the objects whose date came since it last looked are indexed.
"""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from . import index, watermarks
from .models import IndexState
from .registry import PROVIDERS

SOURCE = watermarks.SOURCE


def _up_to_date(state, latest):
    return latest is None or bool(state and state.indexed_up_to and state.indexed_up_to >= latest)


def _states():
    """Every source's state in one query (a handful of rows): read once before a search."""
    return {state.source: state for state in IndexState.objects.all()}


def catch_up(states=None):
    from schools.models import School

    latest = School.objects.aggregate(m=Max("updated_at"))["m"]
    state = states.get(SOURCE) if states is not None else IndexState.objects.filter(source=SOURCE).first()
    if _up_to_date(state, latest):
        return 0
    with transaction.atomic():
        # Locked: two searches arriving together catch up once; the second finds the work done.
        state, _ = IndexState.objects.select_for_update().get_or_create(source=SOURCE)
        if _up_to_date(state, latest):
            return 0
        if state.indexed_up_to is None:
            changed = index.rebuild(["schools"])["schools"]
        else:
            pks = list(School.objects.filter(updated_at__gt=state.indexed_up_to).values_list("pk", flat=True))
            index.reindex("schools", pks)
            changed = len(pks)
        index.rebuild(["trusts"])
        state.indexed_up_to = latest
        state.save()
    return changed


def before_search():
    states = _states()
    catch_up(states)
    catch_up_scheduled(states)


def catch_up_scheduled(states=None):
    states = _states() if states is None else states
    for kind, provider in PROVIDERS.items():
        if provider.scheduled_by:
            _catch_up_kind(kind, provider.scheduled_by, states.get(f"scheduled:{kind}"))


def _catch_up_kind(kind, field, state, now=None):
    due = watermarks.due(kind, field, now or timezone.now())
    latest = due.aggregate(m=Max(field))["m"]
    source = f"scheduled:{kind}"
    if _up_to_date(state, latest):
        return
    with transaction.atomic():
        state, _ = IndexState.objects.select_for_update().get_or_create(source=source)
        if _up_to_date(state, latest):
            return
        if state.indexed_up_to is not None:
            due = due.filter(**{f"{field}__gt": state.indexed_up_to})
        index.reindex(kind, list(due.values_list("pk", flat=True)))
        state.indexed_up_to = latest
        state.save()
