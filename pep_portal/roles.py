"""The six role groups and the questions views ask about a user."""

from django.db import models


class Role(models.TextChoices):
    SCHOOL_LEADER = "School leader"
    TRUST_LEADER = "Trust leader"
    SUBGROUP_CHAIR = "Subgroup chair"
    LA_OFFICER = "LA officer"
    PARTNERSHIP_ADMIN = "Partnership admin"
    COMMUNICATIONS_EDITOR = "Communications editor"


# Roles whose holders must have two-factor authentication set up before they see anything.
TWO_FACTOR_ROLES = (Role.LA_OFFICER, Role.PARTNERSHIP_ADMIN)


def role_names(user):
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_pep_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._pep_roles = cached
    return cached


def has_role(user, *roles):
    return bool(role_names(user) & {str(r) for r in roles})


def is_admin(user):
    return user.is_authenticated and (user.is_superuser or has_role(user, Role.PARTNERSHIP_ADMIN))


def is_officer(user):
    """LA officers and admins: read everything private."""
    return is_admin(user) or has_role(user, Role.LA_OFFICER)


def is_editor(user):
    """Who writes news, events and the bulletin: admins and communications editors."""
    return is_admin(user) or has_role(user, Role.COMMUNICATIONS_EDITOR)


def needs_two_factor(user):
    return user.is_authenticated and (user.is_superuser or has_role(user, *TWO_FACTOR_ROLES))


def admin_only(view):
    """Partnership admins only: anyone else signed in gets 404 (no hint the page exists)."""
    from functools import wraps

    from django.contrib.auth.decorators import login_required
    from django.http import Http404

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_admin(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def editor_only(view):
    """Communications editors and admins only: anyone else signed in gets 404."""
    from functools import wraps

    from django.contrib.auth.decorators import login_required
    from django.http import Http404

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_editor(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
