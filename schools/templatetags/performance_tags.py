"""{% performance_figures school as perf %}: the published figures for the public school page."""

from django import template

register = template.Library()


@register.simple_tag
def performance_figures(school):
    from schools.performance_public import figures

    return figures(school)
