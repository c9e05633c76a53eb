"""Rate limits on the booking form, counted in the cache.

Per client address: too many requests get the 429 page. Per email address: further requests in the
window are dropped silently (the visitor sees the usual "check your email" page), so the limit tells
nobody whether an address has been used. A cache that is down lets requests through: booking keeps
working, as the portal's other pages do.
"""

import hashlib
import logging

from allauth.account.adapter import get_adapter
from django.core.cache import cache

logger = logging.getLogger(__name__)
WINDOW_SECONDS = 60 * 60
PER_ADDRESS = 20
PER_EMAIL = 3


def _hit(key):
    """Count one request under `key`; the count in this window (0 when the cache cannot answer)."""
    try:
        cache.add(key, 0, WINDOW_SECONDS)
        return cache.incr(key)
    except Exception:  # noqa: BLE001 - a cache outage degrades to no limit, never to an error page
        logger.warning("booking rate limit skipped: the cache did not answer", exc_info=True)
        return 0


def _key(scope, value):
    return f"events:book:{scope}:" + hashlib.sha256(value.encode()).hexdigest()[:32]


def address_allowed(request):
    return _hit(_key("ip", get_adapter().get_client_ip(request) or "unknown")) <= PER_ADDRESS


def email_allowed(email):
    return _hit(_key("email", email.strip().lower())) <= PER_EMAIL
