from django.urls import path

from . import views

app_name = "schools"
urlpatterns = [
    path("schools/", views.school_list, name="school_list"),
    path("schools/<int:urn>/", views.school_detail, name="school_detail"),
    path("trusts/", views.trust_list, name="trust_list"),
    path("trusts/<int:uid>/", views.trust_detail, name="trust_detail"),
    path("about-the-data/", views.about_the_data, name="about_the_data"),
]
