"""This app's part of the public home page (see pep_portal.views.home): the headline targets."""

from .models import Strategy, Target
from .presenters import present

HOME_TARGETS = 4


def context(request):
    strategy = Strategy.objects.current()
    if strategy is None:
        return {"strategy_home": None}
    targets = Target.objects.filter(strategy=strategy).select_related(
        "measure", "manual_series", "result", "objective", "strategy"
    )
    headline = list(targets.filter(headline=True)) or list(targets[:HOME_TARGETS])
    return {"strategy_home": {"strategy": strategy, "targets": [present(t) for t in headline]}}
