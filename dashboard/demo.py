"""Demo ratings: rate the demo partnership's schools once its performance data is in.

Idempotent: when the current run already rated the latest year with the rule set that applies and
no figure changed since, a second call changes nothing.
"""

import time

from django.db.models import Count, Max

from refresh.api import rate_now
from schools import demo_performance
from schools.models import Value

from . import runs
from .models import CurrentRun, RuleSet, SchoolRating


def load(stdout=None):
    if runs.latest_year() is None:
        # The register step may not have imported the demo performance files: do it here (idempotent).
        demo_performance.load(stdout=stdout)
    year = runs.latest_year()
    if year is None:
        _say(stdout, "demo ratings: no performance data imported; nothing rated")
        return None
    current = CurrentRun.get()
    last_change = Value.objects.aggregate(m=Max("updated_at"))["m"]
    if (
        current is not None
        and current.year == year
        and current.rule_set == RuleSet.objects.for_year(year)
        and (last_change is None or last_change <= current.started_at)
    ):
        _say(stdout, f"demo ratings: already up to date (run {current.pk})")
        return current
    started = time.perf_counter()
    run = rate_now(year=year)  # under the refresh lock, like every rating run
    counts = {row["priority"]: row["n"] for row in
              SchoolRating.objects.filter(run=run).values("priority").annotate(n=Count("id")).order_by()}
    _say(
        stdout,
        f"demo ratings: {run.schools_rated} schools rated for {year}/{(year + 1) % 100:02d} in "
        f"{time.perf_counter() - started:.2f} s: "
        + ", ".join(f"{'Priority ' + p if p else 'not rated'} {counts.get(p, 0)}" for p in ("1", "2", "3", "")),
    )
    return run


def _say(stdout, text):
    if stdout is not None:
        stdout.write(text)

