"""News in site search: published posts whose date has come, and nothing else; the index follows
the editor's publish, unpublish and edits, a scheduled post's date arriving, and a deletion."""

import datetime

import pytest
from django.utils import timezone

from communications.models import NewsPost
from search import index
from search.models import SearchDocument

pytestmark = pytest.mark.django_db


def found(client, q, kind="news"):
    groups = {g.kind: [d.title for d in g.results] for g in client.get("/search/", {"q": q}).context["groups"]}
    return groups.get(kind, [])


def post(title, days=-1, status=NewsPost.Status.PUBLISHED, **extra):
    fields = {"slug": title.lower().replace(" ", "-")[:90], "summary": "A summary.", "body": "Body text.",
              "status": status, "published_at": timezone.now() + datetime.timedelta(days=days)}
    if status == NewsPost.Status.DRAFT:
        fields["published_at"] = None
    return NewsPost.objects.create(title=title, **{**fields, **extra})


def test_a_published_post_is_found_by_title_summary_body_and_tags(client):
    post("Recruitment fair in March", summary="Trainees meet headteachers.", body="Held at the **Guildhall**.",
         tags="recruitment, careers")
    for q in ("recruitment fair", "trainees", "guildhall", "careers"):
        assert found(client, q) == ["Recruitment fair in March"], q
    page = client.get("/search/", {"q": "guildhall"}).content.decode()
    assert "News (1)" in page and "/news/recruitment-fair-in-march/" in page


def test_drafts_and_future_dated_posts_are_never_found(client):
    post("Draft budget thoughts", status=NewsPost.Status.DRAFT)
    post("Scheduled oracy announcement", days=3)
    assert found(client, "budget thoughts") == []
    assert found(client, "oracy announcement") == []
    assert client.get("/search/", {"q": "oracy", "kind": "news"}).context["page"].paginator.count == 0
    index.rebuild()
    assert found(client, "oracy announcement") == [] and found(client, "budget thoughts") == []
    assert not SearchDocument.objects.filter(kind="news").exists()


def test_a_scheduled_post_is_found_once_its_date_has_come(client):
    scheduled = post("Phonics network launch", days=2)
    assert found(client, "phonics network") == []
    # Time passes: no save happens, the date simply arrives.
    NewsPost.objects.filter(pk=scheduled.pk).update(published_at=timezone.now() - datetime.timedelta(minutes=1))
    assert found(client, "phonics network") == ["Phonics network launch"]
    assert found(client, "phonics network") == ["Phonics network launch"]  # and only indexed once
    assert SearchDocument.objects.filter(kind="news").count() == 1


def test_the_index_follows_publish_edit_unpublish_and_delete(client_for):
    editor = client_for("admin")
    visitor = client_for("anonymous")
    draft = post("Wellbeing toolkit", status=NewsPost.Status.DRAFT)
    assert found(visitor, "wellbeing toolkit") == []
    assert editor.post(f"/news/manage/{draft.pk}/publish/").status_code == 302
    assert found(visitor, "wellbeing toolkit") == ["Wellbeing toolkit"]
    draft.refresh_from_db()
    draft.title = "Wellbeing toolkit for staff"
    draft.save()
    assert found(visitor, "staff wellbeing") == ["Wellbeing toolkit for staff"]
    assert editor.post(f"/news/manage/{draft.pk}/unpublish/").status_code == 302
    assert found(visitor, "wellbeing toolkit") == []
    republished = post("Transition guidance")
    assert found(visitor, "transition guidance") == ["Transition guidance"]
    republished.delete()
    assert found(visitor, "transition guidance") == []
    assert not SearchDocument.objects.filter(kind="news").exists()
