"""School improvement support pages, mounted at /dashboard/support/ (pep_portal/urls.py)."""

from django.urls import path

from . import record_views, views

app_name = "support"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("schools/<int:urn>/", views.school, name="school"),
    path("visits/<int:pk>/", record_views.visit, name="visit"),
    path("visits/<int:pk>/record/", record_views.visit_record, name="visit_record"),
    path("questions/<int:pk>/", record_views.question, name="question"),
    path("peer-support/", views.peer_support, name="peer"),
    path("peer-support/clusters/<int:pk>/rounds/new/", views.peer_round_new, name="peer_round_new"),
]
