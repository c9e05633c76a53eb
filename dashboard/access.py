"""Who may open what: officers and admins see every school; leaders only their own; others get 404."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404

from pep_portal.roles import is_officer
from schools.models import School


def officer_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_officer(request.user):
            raise Http404("Not found")
        return view(request, *args, **kwargs)

    return wrapper


def visible_school(user, urn):
    """The school with this URN if the user may see its dashboard; 404 otherwise (no hint it exists)."""
    return get_object_or_404(School.objects.visible_to(user).select_related("la"), urn=urn)


def log_access(request, kind, school=None, filter=""):
    """One line of the access log (DashboardAccess): who, when, and which school or export filter."""
    from .models import DashboardAccess

    DashboardAccess.objects.create(user=request.user, kind=kind, school=school,
                                   path=request.get_full_path()[:300], filter=filter[:500])


def log_export(request, fmt):
    """A bulk export: its format and the filter that chose its schools, as the query string said."""
    from .models import DashboardAccess

    query = request.GET.copy()
    query.pop("_export", None)
    log_access(request, DashboardAccess.Kind.EXPORT, filter=f"{fmt.upper()}: {query.urlencode() or 'all schools'}")


def log_support_view(request, school):
    from .models import DashboardAccess

    if request.method == "GET":
        log_access(request, DashboardAccess.Kind.SUPPORT, school=school)
