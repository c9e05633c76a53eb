from django.urls import path

from . import feeds, pack, views

app_name = "governance"
urlpatterns = [
    path("", views.index, name="index"),
    path("meetings.ics", feeds.all_meetings_ics, name="meetings_ics"),
    path("minutes.atom", feeds.minutes_atom, name="minutes_atom"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/pack.pdf", pack.public_pack, name="pack"),
    path("meetings/<int:pk>/pack-exempt.pdf", pack.exempt_pack, name="pack_exempt"),
    path("meetings/<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download, name="attachment"),
    # The chairs' editor (signed in; a chair reaches only the groups they chair).
    path("manage/", views.manage_index, name="manage"),
    path("manage/<slug:slug>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("manage/meetings/<int:pk>/", views.manage_meeting, name="manage_meeting"),
    path("manage/meetings/<int:pk>/details/", views.meeting_edit, name="meeting_edit"),
    path("manage/meetings/<int:pk>/attendance/", views.attendance, name="attendance"),
    path(
        "manage/meetings/<int:pk>/attendance/<int:attendance_pk>/delete/",
        views.attendance_delete,
        name="attendance_delete",
    ),
    path("manage/meetings/<int:pk>/items/new/", views.item_edit, name="item_new"),
    path("manage/meetings/<int:pk>/items/<int:item_pk>/", views.item_edit, name="item_edit"),
    path("manage/meetings/<int:pk>/items/<int:item_pk>/delete/", views.item_delete, name="item_delete"),
    path(
        "manage/meetings/<int:pk>/items/<int:item_pk>/attachments/", views.attachment_upload, name="attachment_upload"
    ),
    path(
        "manage/meetings/<int:pk>/attachments/<int:attachment_pk>/delete/",
        views.attachment_delete,
        name="attachment_delete",
    ),
    path("manage/meetings/<int:pk>/actions/new/", views.action_edit, name="action_new"),
    path("manage/meetings/<int:pk>/actions/<int:action_pk>/", views.action_edit, name="action_edit"),
    path("manage/meetings/<int:pk>/preview/", views.preview, name="preview"),
    path("manage/meetings/<int:pk>/publish/", views.publish, name="publish"),
    # Group pages last: a group slug never shadows the addresses above (see models.RESERVED_SLUGS).
    path("<slug:slug>/", views.group_detail, name="group"),
    path("<slug:slug>/actions/", views.group_actions, name="group_actions"),
    path("<slug:slug>/meetings.ics", feeds.group_meetings_ics, name="group_meetings_ics"),
]
