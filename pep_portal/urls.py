from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from django.views.generic import RedirectView

from . import views

handler403 = "pep_portal.views.handler403"
handler404 = "pep_portal.views.handler404"
handler500 = "pep_portal.views.handler500"

# The Django admin sits behind the portal's own login (and its two-factor step).
admin.site.login = login_required(admin.site.login)

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accessibility/", views.static_page("pages/accessibility.html"), name="accessibility"),
    path("privacy/", views.static_page("pages/privacy.html"), name="privacy"),
    path("cookies/", views.static_page("pages/cookies.html"), name="cookies"),
    path("accounts/signup/", RedirectView.as_view(pattern_name="account_login"), name="account_signup"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("schools.urls")),
    path("dashboard/imports/", include("schools.import_urls")),
    path("dashboard/refresh/", include("dashboard.refresh_urls")),
    path("dashboard/support/", include("dashboard.support_urls")),
    path("dashboard/", include("dashboard.urls")),
    path("governance/", include("governance.urls")),
    path("strategy/", include("strategy.urls")),
    path("reports/", include("reports.urls")),
]
