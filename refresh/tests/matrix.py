"""Permission-matrix entries for the refresh admin pages (imported by dashboard/tests/matrix.py)."""

from tests.world import Route

ADMIN_ONLY = {"anonymous": "login", "school_leader": 404, "trust_leader": 404, "chair": 404, "officer": 404,
              "admin": 200}


def setup(world):
    from django.utils import timezone

    from refresh.models import RefreshRun

    now = timezone.now()
    world.refresh_run = RefreshRun.objects.create(
        key="nightly:matrix", trigger="nightly", status="failed", started_at=now, finished_at=now,
        error="Matrix: a recorded failure", log="Attempt 1 failed.",
    )


ROUTES = [
    Route("refresh:history", expect=ADMIN_ONLY, a11y="admin"),
    Route("refresh:run", expect={**ADMIN_ONLY, "admin": 405}),
    Route("refresh:detail", lambda w: {"pk": w.refresh_run.pk}, ADMIN_ONLY, a11y="admin"),
    Route("refresh:status", lambda w: {"pk": w.refresh_run.pk}, ADMIN_ONLY),
]
