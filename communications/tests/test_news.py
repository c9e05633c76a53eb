"""News as readers and editors use it: pages, feed, sanitising, drafts private, images, permissions."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from communications.models import NewsPost
from communications.tests.matrix import PNG

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def post(slug="fair", status=NewsPost.Status.PUBLISHED, days=-1, **kwargs):
    kwargs.setdefault("title", f"Post {slug}")
    kwargs.setdefault("summary", "A summary.")
    kwargs.setdefault("body", "Body **text**.")
    published = timezone.now() + datetime.timedelta(days=days) if days is not None else None
    return NewsPost.objects.create(slug=slug, status=status, published_at=published, **kwargs)


def test_readers_see_published_posts_newest_first_and_never_drafts_or_future_ones(client):
    post("old", days=-10, title="Older news")
    post("new", days=-1, title="Newer news")
    post("draft", status=NewsPost.Status.DRAFT, title="Draft news")
    post("later", days=3, title="Tomorrow's news")
    html = client.get("/news/").content.decode()
    assert html.index("Newer news") < html.index("Older news")
    assert "Draft news" not in html and "Tomorrow" not in html
    assert client.get("/news/new/").status_code == 200
    assert client.get("/news/draft/").status_code == 404
    assert client.get("/news/later/").status_code == 404


def test_the_body_is_markdown_sanitised_like_minutes(client):
    post("x", body='Hello **there** <script>alert(1)</script> <img src=x onerror="alert(2)"> [bad](javascript:alert(3))')
    html = client.get("/news/x/").content.decode()
    assert "<strong>there</strong>" in html
    assert "<script>alert" not in html and "onerror" not in html and "javascript:" not in html


def test_the_atom_feed_carries_published_posts_only(client):
    post("a", title="Published one", tags="send, recruitment")
    post("b", status=NewsPost.Status.DRAFT, title="A draft")
    response = client.get("/news.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 - the portal's own feed
    titles = [e.find(f"{ATOM}title").text for e in feed.findall(f"{ATOM}entry")]
    assert titles == ["Published one"]
    assert {c.get("term") for c in feed.find(f"{ATOM}entry").findall(f"{ATOM}category")} == {"send", "recruitment"}


def test_the_home_page_shows_the_latest_news(client):
    for i in range(4):
        post(f"p{i}", days=-(i + 1), title=f"Headline {i}")
    html = client.get("/").content.decode()
    assert "Latest news" in html
    assert "Headline 0" in html and "Headline 2" in html and "Headline 3" not in html


def test_a_tag_filters_the_list(client):
    post("a", title="About SEND", tags="SEND")
    post("b", title="About buses", tags="transport")
    html = client.get("/news/?tag=SEND").content.decode()
    assert "About SEND" in html and "About buses" not in html


def test_non_editors_get_404_from_every_editor_page(client_for, personas):
    draft = post("d", status=NewsPost.Status.DRAFT)
    for persona in ("school_leader", "trust_leader", "chair", "officer"):
        c = client_for(persona)
        for url in ("/news/manage/", "/news/manage/new/", f"/news/manage/{draft.pk}/",
                    f"/news/manage/{draft.pk}/preview/"):
            assert c.get(url).status_code == 404, (persona, url)
        assert c.post(f"/news/manage/{draft.pk}/publish/").status_code == 404
    assert NewsPost.objects.get(pk=draft.pk).status == NewsPost.Status.DRAFT
    assert "/accounts/login/" in client_for("anonymous").get("/news/manage/")["Location"]


def test_a_communications_editor_writes_previews_and_publishes_a_post(editor_client):
    client = Client()
    response = editor_client.post("/news/manage/new/", {
        "title": "Conference places open", "summary": "Book now.", "body": "Come **along**.", "tags": "conference",
    })
    created = NewsPost.objects.get(slug="conference-places-open")
    assert response["Location"] == f"/news/manage/{created.pk}/preview/"
    assert created.status == NewsPost.Status.DRAFT
    assert client.get("/news/conference-places-open/").status_code == 404
    preview = editor_client.get(f"/news/manage/{created.pk}/preview/").content.decode()
    assert "<strong>along</strong>" in preview and "Publish the post" in preview
    editor_client.post(f"/news/manage/{created.pk}/publish/")
    created.refresh_from_db()
    assert created.status == NewsPost.Status.PUBLISHED and created.published_at <= timezone.now()
    assert "Come <strong>along</strong>" in client.get("/news/conference-places-open/").content.decode()
    editor_client.post(f"/news/manage/{created.pk}/unpublish/")
    assert client.get("/news/conference-places-open/").status_code == 404


def test_an_image_needs_alt_text_and_is_checked_by_its_contents(editor_client):
    client = Client()
    data = {"title": "With a picture", "summary": "S.", "body": "B."}
    no_alt = editor_client.post("/news/manage/new/", {**data, "image": SimpleUploadedFile("a.png", PNG)})
    assert "Describe the image for people who cannot see it" in no_alt.content.decode()
    fake = editor_client.post("/news/manage/new/", {**data, "image_alt": "A chart",
                                                    "image": SimpleUploadedFile("a.png", b"<html>not an image")})
    assert "The image must be a PNG, JPEG, GIF or WebP file" in fake.content.decode()
    assert not NewsPost.objects.exists()
    editor_client.post("/news/manage/new/", {**data, "image_alt": "A chart of attendance",
                                             "image": SimpleUploadedFile("../../evil.png", PNG)})
    saved = NewsPost.objects.get()
    assert saved.image.name.startswith("news/images/") and "evil" not in saved.image.name
    assert editor_client.get(f"/news/{saved.slug}/image").status_code == 200  # the editor, on a draft
    assert client.get(f"/news/{saved.slug}/image").status_code == 404  # the public, on a draft
    editor_client.post(f"/news/manage/{saved.pk}/publish/")
    image = client.get(f"/news/{saved.slug}/image")
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert b"".join(image.streaming_content) == PNG
    assert 'alt="A chart of attendance"' in client.get(f"/news/{saved.slug}/").content.decode()


def test_a_slug_must_be_unique_and_not_shadow_the_portal(editor_client):
    post("taken")
    page = editor_client.post("/news/manage/new/", {"title": "T", "slug": "taken", "summary": "S", "body": "B"})
    assert "Another post already has this address" in page.content.decode()
    page = editor_client.post("/news/manage/new/", {"title": "T", "slug": "manage", "summary": "S", "body": "B"})
    assert "is used by the portal" in page.content.decode()


def test_an_empty_form_names_each_missing_field_once(editor_client):
    html = editor_client.post("/news/manage/new/", {"title": "", "summary": "", "body": ""}).content.decode()
    assert "Enter a title" in html and "Enter a summary" in html and "Write the post" in html
    assert "Enter an address" not in html  # the address is optional: made from the title
    html = editor_client.post("/news/manage/new/", {"title": "!!!", "summary": "S", "body": "B"}).content.decode()
    assert "Enter an address made of letters, numbers and hyphens" in html
