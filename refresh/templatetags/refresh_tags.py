"""{% last_refresh %}: the "last good run" line any dashboard page can show (templates/refresh/_last_run.html)."""

from django import template

from refresh import api

register = template.Library()


@register.inclusion_tag("refresh/_last_run.html")
def last_refresh():
    return api.last_run_summary()
