from django.shortcuts import redirect
from django.urls import reverse

from .roles import needs_two_factor

# Paths a user without two-factor may still reach: the pages that set it up, and logging out.
TWO_FACTOR_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/healthz", "/media/")
PRIVATE_PREFIXES = ("/dashboard/", "/accounts/", "/admin/")


def has_totp(user):
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class RequireTwoFactorMiddleware:
    """LA officers and admins must set up TOTP before they see any page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            needs_two_factor(user)
            and not request.path.startswith(TWO_FACTOR_EXEMPT_PREFIXES)
            and not has_totp(user)
        ):
            return redirect(f"{reverse('mfa_activate_totp')}?next={request.path}")
        return self.get_response(request)


class PrivateNoStoreMiddleware:
    """Nothing shown to a signed-in user, and no private page, may be kept by a browser or proxy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated or request.path.startswith(PRIVATE_PREFIXES):
            response["Cache-Control"] = "no-store"
            response["Vary"] = ", ".join(filter(None, [response.get("Vary"), "Cookie"]))
        return response
