"""News posts, bulletin subscribers, bulletins and each recipient's delivery.

A Delivery row is the record of one bulletin to one address, unique on (bulletin, email). Sending
claims the row (pending -> sending) in its own committed update before it talks to the mail server,
so a second worker, or the same task delivered again after a crash, never sends to that address
again (see communications.sending).
"""

import secrets
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

# Slugs that would shadow the app's own addresses under /news/.
RESERVED_SLUGS = frozenset({"manage", "feed", "tags"})


class NewsQuerySet(models.QuerySet):
    def published(self):
        """What the public sees: published posts whose publish date has come."""
        return self.filter(status=NewsPost.Status.PUBLISHED, published_at__lte=timezone.now())


def image_path(instance, filename):
    # The uploader's file name is never used on disk: a random name with the checked extension.
    return f"news/images/{uuid.uuid4().hex}{PurePosixPath(filename).suffix.lower()}"


class NewsPost(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True, help_text="The end of the post's address: /news/<slug>/.")
    summary = models.CharField(max_length=300, help_text="One or two sentences for lists, the feed and the bulletin.")
    body = models.TextField(help_text="The post, in Markdown.")
    image = models.FileField(upload_to=image_path, max_length=200, blank=True)
    image_alt = models.CharField(max_length=250, blank=True)
    tags = models.CharField(max_length=200, blank=True, help_text="Comma-separated, for example: recruitment, SEND.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NewsQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["status", "published_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("news:post", kwargs={"slug": self.slug})

    @property
    def tag_list(self):
        return [t.strip() for t in self.tags.split(",") if t.strip()]

    @property
    def is_public(self):
        return self.status == self.Status.PUBLISHED and self.published_at and self.published_at <= timezone.now()


def new_token():
    return secrets.token_urlsafe(24)


class Subscriber(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        ACTIVE = "active", "Subscribed"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"

    email = models.EmailField(max_length=254, unique=True)
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.PENDING)
    # Secret to the subscriber: it is in every bulletin's unsubscribe link.
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["email"]
        indexes = [models.Index(fields=["status"])]

    def __str__(self):
        return self.email


class Bulletin(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"

    subject = models.CharField(max_length=200)
    body = models.TextField(help_text="The bulletin, in Markdown.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    send_at = models.DateTimeField(null=True, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    recipients = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        return reverse("bulletin:issue", kwargs={"pk": self.pk})

    @property
    def is_editable(self):
        return self.status in (self.Status.DRAFT, self.Status.SCHEDULED)

    @property
    def is_public(self):
        return self.status == self.Status.SENT


class Delivery(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "Waiting to send"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Not sent: unsubscribed meanwhile"
        # Claimed by a worker that died before it recorded the result: the mail server may or may
        # not have taken it, and it is never sent again (one bulletin is never sent twice to an address).
        INTERRUPTED = "interrupted", "Interrupted (may not have arrived)"

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, null=True, on_delete=models.SET_NULL, related_name="deliveries")
    email = models.EmailField(max_length=254)
    state = models.CharField(max_length=12, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["bulletin", "email"], name="one_delivery_per_address")]
        indexes = [models.Index(fields=["bulletin", "state"])]

    def __str__(self):
        return f"{self.bulletin_id} -> {self.email}: {self.state}"


FINAL_STATES = (Delivery.State.SENT, Delivery.State.FAILED, Delivery.State.SKIPPED, Delivery.State.INTERRUPTED)
OPEN_STATES = Q(state=Delivery.State.PENDING) | Q(state=Delivery.State.SENDING)
