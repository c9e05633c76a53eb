"""Small builders for governance tests."""

import datetime

from django.utils import timezone

from governance.models import Group, GroupKind, Meeting, MemberRole, Membership


def group(name="Inclusion", slug="inclusion", chair=None, **kwargs):
    kwargs.setdefault("remit", "Remit.")
    g = Group.objects.create(name=name, slug=slug, kind=kwargs.pop("kind", GroupKind.SUBGROUP), **kwargs)
    if chair is not None:
        Membership.objects.create(group=g, user=chair, role=MemberRole.CHAIR)
    return g


def meeting(group, days=-7, **kwargs):
    kwargs.setdefault("place", "Civic Offices")
    return Meeting.objects.create(group=group, starts_at=timezone.now() + datetime.timedelta(days=days), **kwargs)
