from django.conf import settings

from .roles import Role, is_admin, is_editor, is_officer, role_names

# The navigation section a path belongs to; the most specific prefix wins.
NAV_SECTIONS = (
    ("/dashboard/support/", "support"),
    ("/dashboard/imports/", "imports"),
    ("/dashboard/rules/", "rules"),
    ("/dashboard/", "dashboard"),
    ("/strategy/", "strategy"),
    ("/schools/", "schools"),
    ("/trusts/", "schools"),
    ("/governance/", "governance"),
    ("/events/", "events"),
    ("/admin/", "admin"),
)


def nav_section(path):
    if path == "/":
        return "home"
    return next((section for prefix, section in NAV_SECTIONS if path.startswith(prefix)), "")


def portal(request):
    user = request.user
    roles = role_names(user)
    section = nav_section(request.path)
    return {
        "partnership_name": settings.PARTNERSHIP_NAME,
        "nav_section": section,
        "nav_page": request.path in ("/", "/strategy/", "/schools/", "/governance/", "/dashboard/",
                                     "/dashboard/support/", "/dashboard/imports/", "/dashboard/rules/",
                                     "/events/"),
        "user_is_officer": is_officer(user),
        "user_is_admin": is_admin(user),
        "user_is_editor": is_editor(user),
        "user_is_chair": str(Role.SUBGROUP_CHAIR) in roles,
        "user_has_dashboard": bool(
            is_officer(user) or roles & {str(Role.SCHOOL_LEADER), str(Role.TRUST_LEADER)}
        ),
    }
