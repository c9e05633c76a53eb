"""The Django admin behind the portal's own sign-in.

The admin's login form would sign a user in with a password alone (no second factor, none of
allauth's rate limits), and would let a signed-in user switch to another account. So its login
page only sends people to allauth's, and its pages answer 404 to signed-in users who are not staff.
"""

from functools import wraps

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import Http404
from django.urls import reverse


def redirect_to_login(after, login_url):
    # Imported here: this module is loaded with INSTALLED_APPS, before auth's models can be.
    from django.contrib.auth.views import redirect_to_login

    return redirect_to_login(after, login_url)


class PortalAdminSite(AdminSite):
    site_header = "Portal administration"
    site_title = "Portal administration"

    def login(self, request, extra_context=None):
        after = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index", current_app=self.name)
        return redirect_to_login(after, reverse("account_login"))

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def staff_only(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse("account_login"))
            if not self.has_permission(request):
                raise Http404("Not found")
            return inner(request, *args, **kwargs)

        return staff_only


class PortalAdminConfig(AdminConfig):
    """Installed in place of django.contrib.admin, so admin.site is the PortalAdminSite."""

    default_site = "pep_portal.admin_site.PortalAdminSite"
