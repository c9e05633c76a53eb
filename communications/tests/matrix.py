"""News and bulletin objects for the shared world, and every communications URL with each persona's status.

world.news_public is a published post with an image; world.news_draft is a draft (with an image) whose
title, summary and body carry CANARY_DRAFT; world.bulletin_sent was composed from the pre-filled draft
(so the sweep covers what the pre-fill takes from governance) and sent; world.bulletin_draft carries
CANARY_DRAFT; world.subscriber is confirmed. Editors are admins and the Communications editor group;
the personas have no communications editor, so among them only the admin edits.
"""

import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from tests.world import CANARY_DRAFT, Route

PERSONAS = ("anonymous", "school_leader", "trust_leader", "chair", "officer", "admin")
PUBLIC = {p: 200 for p in PERSONAS}
NOBODY = {p: 404 for p in PERSONAS}
EDITOR_ONLY = {
    "anonymous": "login",
    "school_leader": 404,
    "trust_leader": 404,
    "chair": 404,
    "officer": 404,
    "admin": 200,
}
EDITOR_REDIRECT = {**EDITOR_ONLY, "admin": 302}
EDITOR_POST_ONLY = {**EDITOR_ONLY, "admin": 405}
EDITORS_SEE_IMAGE = {**NOBODY, "admin": 200}

# A 1x1 PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360f8cfc0"
    "f01f0005000201a5f6a6a50000000049454e44ae426082"
)


def _stored(name):
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(PNG))
    return name


def setup(world):
    from communications import compose, emails
    from communications.models import Bulletin, NewsPost, Subscriber

    now = timezone.now()
    world.news_public = NewsPost.objects.create(
        title="Recruitment fair for new teachers",
        slug="recruitment-fair",
        summary="Schools and trusts meet trainee teachers in March.",
        body="The fair is **free** for every school.\n\n<script>alert(1)</script>",
        image=_stored("news/images/matrix-public.png"),
        image_alt="Trainee teachers talking to a headteacher",
        tags="recruitment, events",
        status=NewsPost.Status.PUBLISHED,
        published_at=now - datetime.timedelta(days=2),
    )
    world.news_draft = NewsPost.objects.create(
        title=f"Draft {CANARY_DRAFT}",
        slug="draft-post",
        summary=f"Not yet {CANARY_DRAFT}",
        body=f"Secret plans {CANARY_DRAFT}",
        image=_stored("news/images/matrix-draft.png"),
        image_alt=f"Draft image {CANARY_DRAFT}",
        tags=f"canary, {CANARY_DRAFT}",
    )
    world.subscriber = Subscriber.objects.create(
        email="reader@example.net", status=Subscriber.Status.ACTIVE, confirmed_at=now
    )
    world.subscriber_pending = Subscriber.objects.create(email="waiting@example.net")
    world.confirm_token = emails.confirm_token(world.subscriber_pending)
    subject, body = compose.draft()
    world.bulletin_sent = Bulletin.objects.create(
        subject=subject, body=body, status=Bulletin.Status.SENT, sent_at=now - datetime.timedelta(days=1),
        queued_at=now - datetime.timedelta(days=1), recipients=1,
    )
    world.bulletin_draft = Bulletin.objects.create(subject=f"Next week {CANARY_DRAFT}", body=f"Plans {CANARY_DRAFT}")


def _pk(attr):
    return lambda w: {"pk": getattr(w, attr).pk}


def _slug(attr):
    return lambda w: {"slug": getattr(w, attr).slug}


ROUTES = [
    # Public news.
    Route("news:index", expect=PUBLIC, a11y="anonymous"),
    Route("news:index", expect=PUBLIC, a11y="admin"),
    Route("news:post", _slug("news_public"), PUBLIC, a11y="anonymous"),
    Route("news:post", _slug("news_draft"), NOBODY),  # drafts are private, even to editors (they preview)
    Route("news:image", _slug("news_public"), PUBLIC),
    Route("news:image", _slug("news_draft"), EDITORS_SEE_IMAGE),
    Route("news_atom", expect=PUBLIC),
    # News editors' pages.
    Route("news:manage", expect=EDITOR_ONLY, a11y="admin"),
    Route("news:new", expect=EDITOR_ONLY, a11y="admin"),
    Route("news:edit", _pk("news_draft"), EDITOR_ONLY, a11y="admin"),
    Route("news:edit", _pk("news_public"), EDITOR_ONLY, a11y="admin"),
    Route("news:preview", _pk("news_draft"), EDITOR_ONLY, a11y="admin"),
    Route("news:preview", _pk("news_public"), EDITOR_ONLY, a11y="admin"),
    Route("news:publish", _pk("news_draft"), EDITOR_REDIRECT),
    Route("news:unpublish", _pk("news_public"), EDITOR_POST_ONLY),
    # The public side of the bulletin.
    Route("bulletin:archive", expect=PUBLIC, a11y="anonymous"),
    Route("bulletin:issue", _pk("bulletin_sent"), PUBLIC, a11y="anonymous"),
    Route("bulletin:issue", _pk("bulletin_draft"), NOBODY),
    Route("bulletin:subscribe", expect=PUBLIC, a11y="anonymous"),
    Route("bulletin:check_email", expect=PUBLIC, a11y="anonymous"),
    Route("bulletin:confirm", lambda w: {"token": w.confirm_token}, PUBLIC, a11y="anonymous"),
    Route("bulletin:confirm", {"token": "not-a-real-link"}, NOBODY),
    Route("bulletin:unsubscribe", lambda w: {"token": w.subscriber.token}, PUBLIC, a11y="anonymous"),
    Route("bulletin:unsubscribe", {"token": "no-such-token"}, NOBODY),
    # Bulletin editors' pages.
    Route("bulletin:manage", expect=EDITOR_ONLY, a11y="admin"),
    Route("bulletin:new", expect=EDITOR_ONLY, a11y="admin"),
    Route("bulletin:edit", _pk("bulletin_draft"), EDITOR_ONLY, a11y="admin"),
    Route("bulletin:edit", _pk("bulletin_sent"), EDITOR_REDIRECT),
    Route("bulletin:preview", _pk("bulletin_draft"), EDITOR_ONLY, a11y="admin"),
    Route("bulletin:preview_email", _pk("bulletin_draft"), EDITOR_ONLY),
    Route("bulletin:send", _pk("bulletin_draft"), EDITOR_POST_ONLY),
    Route("bulletin:report", _pk("bulletin_sent"), EDITOR_ONLY, a11y="admin"),
    Route("bulletin:resume", _pk("bulletin_sent"), EDITOR_POST_ONLY),
]
