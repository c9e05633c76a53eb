"""This app's part of the public home page (see pep_portal.views.home): upcoming published events."""

from .models import Event


def context(request):
    return {"events_upcoming": list(Event.objects.upcoming()[:5])}
