from django.urls import path

from . import views

app_name = "strategy"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("past/", views.past, name="past"),
    path("objectives/<int:number>/", views.objective, name="objective"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/objectives/<int:number>/", views.past_objective, name="past_objective"),
]
