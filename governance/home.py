"""This app's part of the public home page (see pep_portal.views.home): public meetings and minutes only."""

from .models import Meeting, MeetingStatus


def context(request):
    return {
        "governance_upcoming": list(
            Meeting.objects.upcoming().exclude(status=MeetingStatus.CANCELLED).select_related("group")[:5]
        ),
        "governance_latest_minutes": list(
            Meeting.objects.with_public_minutes().select_related("group").order_by("-minutes_published_at", "-pk")[:5]
        ),
    }
