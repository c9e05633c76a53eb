"""The public home page reads as one page: each app's part is a section with its own level-2 heading,
news and events side by side under one, meetings and minutes under another."""

import datetime
import re

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


def headings(html):
    return [(int(level), re.sub(r"<[^>]+>", "", text).strip())
            for level, text in re.findall(r"<h([1-3])[^>]*>(.*?)</h\1>", html, flags=re.S)]


def test_news_and_events_sit_together_before_meetings_and_minutes(client):
    from communications.models import NewsPost
    from events.models import Event

    NewsPost.objects.create(title="Welcome evening", slug="welcome", summary="New teachers met mentors.", body="B",
                            status=NewsPost.Status.PUBLISHED, published_at=timezone.now() - datetime.timedelta(days=1))
    starts = timezone.now() + datetime.timedelta(days=9)
    Event.objects.create(title="Phonics workshop", starts_at=starts, ends_at=starts + datetime.timedelta(hours=2),
                         booking_deadline=starts, capacity=20, place="Civic Offices", is_published=True)
    html = client.get("/").content.decode()
    found = headings(html)
    order = [h for h in found if h[1] in ("News and events", "Latest news", "Upcoming events", "Meetings and minutes",
                                           "Upcoming meetings", "Latest published minutes")]
    assert order == [(2, "News and events"), (3, "Latest news"), (3, "Upcoming events"),
                     (2, "Meetings and minutes"), (3, "Upcoming meetings"), (3, "Latest published minutes")]
    # No level is skipped: every h3 follows an h2 or another h3.
    levels = [level for level, _ in found]
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))
    news_events = html.split('id="home-news-events"', 1)[1].split("</section>", 1)[0]
    assert "Welcome evening" in news_events and "Phonics workshop" in news_events
    assert news_events.count("govuk-grid-column-one-half") == 2
