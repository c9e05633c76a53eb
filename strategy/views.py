"""Public strategy pages: the current strategy, its objectives with their targets, and past strategies.

Everything here is partnership-level: targets are computed from LA rows, England rows, aggregates
of the partnership's schools (withheld over fewer than 3 schools or 10 pupils) and manual series;
no named school's figures or ratings appear. Drafts are seen only by partnership admins (404 for
everyone else, so a draft's existence does not leak).
"""

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from pep_portal.charts import chart_page

from .models import Goal, Objective, Strategy, Target
from .presenters import present


def _targets():
    return Target.objects.select_related("measure", "manual_series", "result", "objective__strategy", "strategy")


def _objectives():
    return Objective.objects.select_related("led_by", "strategy").prefetch_related(
        Prefetch("goals", queryset=Goal.objects.select_related("owner")),
        Prefetch("targets", queryset=_targets()),
    )


def _strategy_page(request, strategy):
    strategy_targets = list(_targets().filter(strategy=strategy))
    context = {
        "strategy": strategy,
        "vision": strategy.vision_statements.all(),
        "values": strategy.values.all(),
        "objectives": _objectives().filter(strategy=strategy),
        "scorecard": [present(t) for t in strategy_targets],
        "has_past": Strategy.objects.past().exists(),
    }
    return render(request, "strategy/strategy.html", context)


def overview(request):
    strategy = Strategy.objects.current()
    if strategy is None:
        return render(request, "strategy/none.html", {"past": Strategy.objects.past()})
    return _strategy_page(request, strategy)


def detail(request, pk):
    strategy = get_object_or_404(Strategy.objects.visible_to(request.user), pk=pk)
    if strategy.is_current:
        return redirect("strategy:overview")
    return _strategy_page(request, strategy)


def past(request):
    return render(
        request, "strategy/past.html", {"strategies": Strategy.objects.past(), "current": Strategy.objects.current()}
    )


def _objective_page(request, strategy, number):
    objective = get_object_or_404(_objectives().filter(strategy=strategy), number=number)
    context = {
        "strategy": strategy,
        "objective": objective,
        "goals": objective.goals.all(),
        "targets": [present(t, chart=True) for t in objective.targets.all()],
        "previous": strategy.objectives.filter(number__lt=number).order_by("-number").first(),
        "next": strategy.objectives.filter(number__gt=number).order_by("number").first(),
    }
    return render(request, "strategy/objective.html", context)


@chart_page
def objective(request, number):
    strategy = Strategy.objects.current()
    if strategy is None:
        raise Http404("No strategy has been published yet.")
    return _objective_page(request, strategy, number)


@chart_page
def past_objective(request, pk, number):
    strategy = get_object_or_404(Strategy.objects.visible_to(request.user), pk=pk)
    if strategy.is_current:
        return redirect("strategy:objective", number=number)
    return _objective_page(request, strategy, number)
