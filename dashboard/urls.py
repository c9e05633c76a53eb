from django.urls import path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("schools/", views.school_list, name="school_list"),
    path("schools/<int:urn>/", views.school_detail, name="school_detail"),
    path("rules/", views.rule_sets, name="rules"),
    path("rules/<int:pk>/", views.rule_set_detail, name="rule_set"),
    path("rules/<int:pk>/copy/", views.rule_set_copy, name="rule_set_copy"),
    path("rules/<int:pk>/preview/", views.rule_set_preview, name="rule_set_preview"),
]
