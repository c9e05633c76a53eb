"""Subscribing to the bulletin: double opt-in, limits, and never a hint of who is subscribed.

request_subscription() answers the same way and sends the same email whatever the address's state
(new, waiting, subscribed, unsubscribed). Limits count in the cache: attempts from one client (over
the limit: the 429 page, which says nothing about the address) and confirmation emails to one address
(over the limit: the same answer, no email, so nobody can flood an inbox). If the cache is down the
limits are skipped rather than the page broken.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from . import emails
from .models import Subscriber

log = logging.getLogger(__name__)
WINDOW = 3600


class RateLimited(Exception):
    pass


def under_limit(key, limit):
    """Count one more hit on key this hour; False once over the limit. True if the cache is down."""
    try:
        cache.add(key, 0, WINDOW)
        return cache.incr(key) <= limit
    except Exception as exc:  # noqa: BLE001 - a cache outage degrades, never breaks
        log.warning("subscribe rate limit skipped, cache unavailable: %s", exc)
        return True


def normalise(email):
    return email.strip().lower()


def request_subscription(email, client):
    """Record the wish and send the confirmation email; raises RateLimited for a busy client."""
    email = normalise(email)
    if not under_limit(f"bulletin-subscribe:client:{client}", settings.SUBSCRIBE_RATE_PER_CLIENT):
        raise RateLimited
    with transaction.atomic():
        subscriber, _ = Subscriber.objects.get_or_create(email=email)
        if subscriber.status == Subscriber.Status.UNSUBSCRIBED:
            subscriber.status = Subscriber.Status.PENDING
            subscriber.save(update_fields=["status"])
    if under_limit(f"bulletin-subscribe:address:{email}", settings.SUBSCRIBE_RATE_PER_ADDRESS):
        emails.send_confirmation(subscriber)


def confirm(subscriber):
    with transaction.atomic():
        if subscriber.status != Subscriber.Status.ACTIVE:
            subscriber.status = Subscriber.Status.ACTIVE
            subscriber.confirmed_at = timezone.now()
            subscriber.unsubscribed_at = None
            subscriber.save(update_fields=["status", "confirmed_at", "unsubscribed_at"])


def unsubscribe(subscriber):
    with transaction.atomic():
        if subscriber.status != Subscriber.Status.UNSUBSCRIBED:
            subscriber.status = Subscriber.Status.UNSUBSCRIBED
            subscriber.unsubscribed_at = timezone.now()
            subscriber.save(update_fields=["status", "unsubscribed_at"])
