from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    path("events/", views.event_list, name="list"),
    path("events.ics", views.events_ics, name="ics"),
    path("events/<int:pk>/", views.event_detail, name="detail"),
    path("events/bookings/<str:token>/confirm/", views.confirm, name="confirm"),
    path("events/bookings/<str:token>/cancel/", views.cancel, name="cancel"),
    # Editors (partnership admins and communications editors); everyone else 404.
    path("events/manage/", views.manage_index, name="manage"),
    path("events/manage/new/", views.event_edit, name="new"),
    path("events/manage/<int:pk>/", views.event_edit, name="edit"),
    path("events/manage/<int:pk>/bookings/", views.booking_list, name="bookings"),
    path("events/manage/<int:pk>/bookings.csv", views.booking_csv, name="bookings_csv"),
]
