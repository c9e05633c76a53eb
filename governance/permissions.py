"""Who may edit a group's meetings and who may read its exempt items.

Views fetch objects through these helpers and answer 404 (not 403) to anyone outside, so the
existence of a group's private pages is not revealed.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from pep_portal.roles import Role, has_role, is_admin, is_officer

from .models import Group, Meeting, MemberRole, Membership


def chair_group_ids(user):
    """Groups the user chairs now, counted only while they hold the "Subgroup chair" role."""
    if not user.is_authenticated or not has_role(user, Role.SUBGROUP_CHAIR):
        return set()
    cached = getattr(user, "_pep_chair_groups", None)
    if cached is None:
        cached = set(
            Membership.objects.current().filter(user=user, role=MemberRole.CHAIR).values_list("group_id", flat=True)
        )
        user._pep_chair_groups = cached
    return cached


def member_group_ids(user):
    """Groups the user currently sits on in any role (chair, vice-chair, member, officer)."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_pep_member_groups", None)
    if cached is None:
        cached = set(Membership.objects.current().filter(user=user).values_list("group_id", flat=True))
        user._pep_member_groups = cached
    return cached


def can_edit(user, group):
    """Admins edit every group; chairs edit only the groups they chair."""
    if not user.is_authenticated:
        return False
    return is_admin(user) or group.pk in chair_group_ids(user)


def editable_groups(user):
    """The groups the user may manage: every group for admins, the groups they chair for chairs."""
    if is_admin(user):
        return Group.objects.all()
    return Group.objects.filter(pk__in=chair_group_ids(user))


def can_see_exempt(user, group):
    """LA officers, admins, and the chairs and members of that group read its exempt items."""
    if not user.is_authenticated:
        return False
    return is_officer(user) or group.pk in member_group_ids(user)


def editable_group_or_404(user, slug):
    group = get_object_or_404(Group, slug=slug)
    if not can_edit(user, group):
        raise Http404("No such group")
    return group


def editable_meeting_or_404(user, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("group"), pk=pk)
    if not can_edit(user, meeting.group):
        raise Http404("No such meeting")
    return meeting
