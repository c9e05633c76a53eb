"""{% about_url code %} and {% abbr_heading code label %}: figures link to /about-the-data/."""

from django import template

register = template.Library()


@register.simple_tag
def about_url(code=""):
    from schools.glossary import about_url

    return about_url(code)


@register.simple_tag
def abbr_heading(code, label):
    from schools.glossary import abbr_html

    return abbr_html(code, label)
