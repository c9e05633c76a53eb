"""Admin import pages, mounted at /dashboard/imports/ (pep_portal/urls.py)."""

from django.urls import path

from . import import_views as views

app_name = "imports"
urlpatterns = [
    path("", views.import_list, name="list"),
    path("upload/", views.upload, name="upload"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/status.json", views.status, name="status"),
]
