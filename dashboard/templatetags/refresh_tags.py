"""{% last_refresh %}: the "last good run" line any dashboard page can show (templates/dashboard/_last_run.html)."""

from django import template

register = template.Library()


@register.inclusion_tag("dashboard/_last_run.html")
def last_refresh():
    from dashboard.refresh import last_run_summary

    return last_run_summary()
