"""Tags other apps' templates use to show strategy content (e.g. a governance group's page)."""

from django import template

from strategy.models import Objective, Strategy

register = template.Library()


def objectives_led_by(group):
    current = Strategy.objects.current()
    if current is None or group is None:
        return []
    return list(Objective.objects.filter(strategy=current, led_by=group).order_by("number"))


@register.inclusion_tag("strategy/_led_objectives.html")
def led_objectives(group):
    """{% load strategy_tags %}{% led_objectives group %}: the current strategy's objectives this group leads."""
    return {"objectives": objectives_led_by(group), "group": group}


@register.simple_tag
def get_led_objectives(group):
    """{% get_led_objectives group as objectives %} for templates that lay the list out themselves."""
    return objectives_led_by(group)
