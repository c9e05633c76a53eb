"""{% support_record school as support %}: what the support record include shows for the signed-in user."""

from django import template

from support.views import school_record

register = template.Library()


@register.simple_tag(takes_context=True)
def support_record(context, school):
    return school_record(school, context["request"].user)


@register.filter
def person(user, fallback="a former user"):
    """A user's name, else their email, else the fallback (a user since removed)."""
    if not user:
        return fallback
    return user.get_full_name() or user.email or user.username
