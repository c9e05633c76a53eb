from django.conf import settings

from .roles import Role, is_admin, is_officer, role_names


def portal(request):
    user = request.user
    roles = role_names(user)
    return {
        "partnership_name": settings.PARTNERSHIP_NAME,
        "user_is_officer": is_officer(user),
        "user_is_admin": is_admin(user),
        "user_is_chair": str(Role.SUBGROUP_CHAIR) in roles,
        "user_has_dashboard": bool(
            is_officer(user) or roles & {str(Role.SCHOOL_LEADER), str(Role.TRUST_LEADER)}
        ),
    }
