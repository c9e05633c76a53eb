"""This app's part of the public home page (see pep_portal.views.home): the latest published news."""

from .models import NewsPost


def context(request):
    return {"communications_latest_news": list(NewsPost.objects.published().order_by("-published_at", "-pk")[:3])}
