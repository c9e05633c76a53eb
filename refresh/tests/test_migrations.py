"""Moving the refresh's models out of the dashboard app keeps every row: the tables stay, only the state moves."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

MOVE = ("dashboard", "0010_refresh_moves_out")


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor


def before_the_move():
    """dashboard at the migration the move follows, the refresh app not yet migrated."""
    graph = MigrationExecutor(connection).loader.graph
    dashboard_parent = next(p.key for p in graph.node_map[MOVE].parents if p.key[0] == "dashboard")
    return [dashboard_parent, ("refresh", None)]


# serialized_rollback: a flush without it would make content types afresh, with new ids, under the next
# serialized test
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_move_keeps_every_refresh_run_and_lock():
    from refresh.models import RefreshLock, RefreshRun

    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        targets = before_the_move()
        old = migrate(targets).loader.project_state(targets[:1]).apps
        OldRun, OldLock = old.get_model("dashboard", "RefreshRun"), old.get_model("dashboard", "RefreshLock")
        now = timezone.now()
        run = OldRun.objects.create(key="nightly:2026-11-22T02:00", trigger="nightly", status="done", attempts=1,
                                    started_at=now, finished_at=now, schools_rated=3, log="Attempt 1 started.")
        OldLock.objects.create(name="nightly-refresh", holder="worker-1", acquired_at=now)
        ContentType.objects.clear_cache()
        ContentType.objects.get_or_create(app_label="dashboard", model="refreshrun")
    finally:
        migrate(leaves)

    moved = RefreshRun.objects.get(pk=run.pk)
    assert (moved.key, moved.status, moved.schools_rated, moved.log) == (
        "nightly:2026-11-22T02:00", RefreshRun.Status.DONE, 3, "Attempt 1 started.")
    assert RefreshRun.objects.good().get() == moved
    assert RefreshLock.objects.get(name="nightly-refresh").holder == "worker-1"
    ContentType.objects.clear_cache()
    assert ContentType.objects.filter(app_label="refresh", model="refreshrun").exists()
    assert not ContentType.objects.filter(app_label="dashboard", model="refreshrun").exists()
