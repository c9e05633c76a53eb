from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from . import partnership_views, setup, views

handler403 = "pep_portal.views.handler403"
handler404 = "pep_portal.views.handler404"
handler500 = "pep_portal.views.handler500"

SUPPORT_ADMIN_MODELS = ("term", "supportsettings", "supportexclusion", "supportplan", "visit", "nextstep", "question",
                        "reply", "supportevent", "supportoffer", "peerreviewround")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accessibility/", views.static_page("pages/accessibility.html"), name="accessibility"),
    path("privacy/", views.static_page("pages/privacy.html"), name="privacy"),
    path("cookies/", views.static_page("pages/cookies.html"), name="cookies"),
    path("contact/", partnership_views.contact, name="contact"),
    path("dashboard/settings/", partnership_views.settings_page, name="partnership_settings"),
    path("dashboard/setup/", setup.setup_page, name="setup"),
    path("accounts/signup/", RedirectView.as_view(pattern_name="account_login"), name="account_signup"),
    path("accounts/", include("allauth.urls")),
    # The support records' admin pages were under /admin/dashboard/ before support became its own app.
    re_path(rf"^admin/dashboard/(?P<model>{'|'.join(SUPPORT_ADMIN_MODELS)})/(?P<rest>.*)$",
            RedirectView.as_view(url="/admin/support/%(model)s/%(rest)s", permanent=True, query_string=True)),
    path("admin/", admin.site.urls),
    path("", include("schools.urls")),
    path("dashboard/imports/", include("schools.import_urls")),
    path("dashboard/refresh/", include("refresh.urls")),
    path("dashboard/support/", include("support.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("governance/", include("governance.urls")),
    path("strategy/", include("strategy.urls")),
    path("", include("communications.urls")),
    path("", include("events.urls")),
    path("search/", include("search.urls")),
    path("reports/", include("reports.urls")),
]
