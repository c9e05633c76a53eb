"""Bands and priorities written as words and coloured (colour is never the only signal)."""

from django import template

from schools.years import year_label

from ..tables import band_html, priority_html

register = template.Library()


@register.filter
def band(value):
    return band_html(value or "not_rated")


@register.filter
def priority(value):
    return priority_html(value or "")


@register.filter
def signed(value):
    """+3, -2, 0: a change in a count."""
    if value is None:
        return ""
    return f"+{value}" if value > 0 else str(value)


@register.filter
def academic_year(value):
    """2018 -> "2018/19"."""
    return year_label(value) if value else ""
