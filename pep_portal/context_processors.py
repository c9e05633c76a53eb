
from .partnership import current
from .roles import Role, is_admin, is_editor, is_officer, role_names

# The navigation section a path belongs to; the most specific prefix wins.
NAV_SECTIONS = (
    ("/dashboard/support/", "support"),
    ("/dashboard/imports/", "imports"),
    ("/dashboard/rules/", "rules"),
    ("/dashboard/setup/", "setup"),
    ("/dashboard/settings/", "setup"),
    ("/dashboard/refresh/", "refresh"),
    ("/dashboard/", "dashboard"),
    ("/strategy/", "strategy"),
    ("/schools/", "schools"),
    ("/trusts/", "schools"),
    ("/governance/", "governance"),
    ("/news/manage/", "communications"),
    ("/bulletin/manage/", "communications"),
    ("/news/", "news"),
    ("/bulletin/", "news"),
    ("/events/", "events"),
    ("/reports/", "reports"),
    ("/admin/", "admin"),
)


def nav_section(path):
    if path == "/":
        return "home"
    return next((section for prefix, section in NAV_SECTIONS if path.startswith(prefix)), "")


def has_dashboard(user, roles):
    """Officers always; leaders only with a school to see (a chair who leads none would get 404)."""
    if is_officer(user):
        return True
    if not roles & {str(Role.SCHOOL_LEADER), str(Role.TRUST_LEADER)}:
        return False
    from schools.models import School

    return School.objects.visible_to(user).exists()


def portal(request):
    user = request.user
    roles = role_names(user)
    section = nav_section(request.path)
    return {
        "partnership_name": current().name,
        "nav_section": section,
        "nav_page": request.path in ("/", "/strategy/", "/schools/", "/governance/", "/dashboard/",
                                     "/dashboard/support/", "/dashboard/imports/", "/dashboard/rules/",
                                     "/dashboard/setup/", "/dashboard/refresh/", "/news/", "/news/manage/",
                                     "/events/", "/reports/"),
        "user_is_officer": is_officer(user),
        "user_is_admin": is_admin(user),
        "user_is_editor": is_editor(user),
        "user_is_chair": str(Role.SUBGROUP_CHAIR) in roles,
        "user_has_dashboard": has_dashboard(user, roles),
    }
