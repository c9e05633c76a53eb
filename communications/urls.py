"""/news/..., /news.atom and /bulletin/...: public pages first, then the editors' pages under manage/."""

from django.urls import include, path

from . import bulletin_views, feeds, news_views

news_patterns = [
    path("", news_views.index, name="index"),
    path("manage/", news_views.manage, name="manage"),
    path("manage/new/", news_views.edit, name="new"),
    path("manage/<int:pk>/", news_views.edit, name="edit"),
    path("manage/<int:pk>/preview/", news_views.preview, name="preview"),
    path("manage/<int:pk>/publish/", news_views.publish, name="publish"),
    path("manage/<int:pk>/unpublish/", news_views.unpublish, name="unpublish"),
    # Post pages last: a post's slug never shadows the addresses above (see models.RESERVED_SLUGS).
    path("<slug:slug>/", news_views.post, name="post"),
    path("<slug:slug>/image", news_views.image, name="image"),
]

bulletin_patterns = [
    path("", bulletin_views.archive, name="archive"),
    path("<int:pk>/", bulletin_views.issue, name="issue"),
    path("subscribe/", bulletin_views.subscribe, name="subscribe"),
    path("subscribe/check-your-email/", bulletin_views.check_email, name="check_email"),
    path("confirm/<str:token>/", bulletin_views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", bulletin_views.unsubscribe, name="unsubscribe"),
    path("manage/", bulletin_views.manage, name="manage"),
    path("manage/new/", bulletin_views.edit, name="new"),
    path("manage/<int:pk>/", bulletin_views.edit, name="edit"),
    path("manage/<int:pk>/preview/", bulletin_views.preview, name="preview"),
    path("manage/<int:pk>/preview/email.html", bulletin_views.preview_email, name="preview_email"),
    path("manage/<int:pk>/send/", bulletin_views.send, name="send"),
    path("manage/<int:pk>/report/", bulletin_views.report, name="report"),
    path("manage/<int:pk>/resume/", bulletin_views.resume, name="resume"),
]

urlpatterns = [
    path("news.atom", feeds.news_atom, name="news_atom"),
    path("news/", include((news_patterns, "news"))),
    path("bulletin/", include((bulletin_patterns, "bulletin"))),
]
