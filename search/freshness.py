"""Schools and trusts are written in bulk by the register import, which sends no per-row signals.
Before each search, `catch_up()` asks one indexed question (the newest School.updated_at, the same one
the register cache asks) and, when the register changed since it was last indexed, re-indexes the
schools changed since then and the trusts (a few thousand at most). With a broker, the import's
completion also queues the same catch-up for a worker (search.signals), so visitors rarely wait.
"""

from django.db import transaction
from django.db.models import Max

from . import index
from .models import IndexState

SOURCE = "register"


def _up_to_date(state, latest):
    return latest is None or bool(state and state.indexed_up_to and state.indexed_up_to >= latest)


def catch_up():
    from schools.models import School

    latest = School.objects.aggregate(m=Max("updated_at"))["m"]
    if _up_to_date(IndexState.objects.filter(source=SOURCE).first(), latest):
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


def mark_indexed():
    """After a full rebuild: the register is indexed up to its newest change."""
    from schools.models import School

    latest = School.objects.aggregate(m=Max("updated_at"))["m"]
    IndexState.objects.update_or_create(source=SOURCE, defaults={"indexed_up_to": latest})
