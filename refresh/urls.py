"""The refresh admin page, mounted at /dashboard/refresh/ (pep_portal/urls.py)."""

from django.urls import path

from . import views

app_name = "refresh"
urlpatterns = [
    path("", views.history, name="history"),
    path("run/", views.run_now, name="run"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/status.json", views.status, name="status"),
]
