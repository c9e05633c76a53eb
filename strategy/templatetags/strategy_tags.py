"""Tags other apps' templates use to show strategy content (e.g. a governance group's page).

    {% load strategy_tags %}
    {% led_objectives group %}                       a list of links, or a sentence saying there are none
    {% get_led_objectives group as objectives %}     the objectives, for templates that lay them out themselves

Both read the current strategy's objectives once per request (a page listing every group makes two
queries in all, not two per group).
"""

from collections import defaultdict

from django import template

from strategy.models import Objective, Strategy

register = template.Library()


def _by_group(context):
    request = context.get("request")
    cached = getattr(request, "_strategy_led_objectives", None) if request is not None else None
    if cached is None:
        cached = defaultdict(list)
        current = Strategy.objects.current()
        if current is not None:
            for objective in Objective.objects.filter(strategy=current, led_by__isnull=False).select_related(
                "strategy"
            ):
                cached[objective.led_by_id].append(objective)
        if request is not None:
            request._strategy_led_objectives = cached
    return cached


def objectives_led_by(context, group):
    if group is None:
        return []
    return sorted(_by_group(context).get(group.pk, []), key=lambda o: o.number)


@register.inclusion_tag("strategy/_led_objectives.html", takes_context=True)
def led_objectives(context, group):
    return {"objectives": objectives_led_by(context, group), "group": group}


@register.simple_tag(takes_context=True)
def get_led_objectives(context, group):
    return objectives_led_by(context, group)
