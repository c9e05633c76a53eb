"""The partnership's current settings: the one place code reads its name, LA codes and contacts.

The row admins edit on /dashboard/settings/ wins; before its first save the environment's values
apply, so a fresh install (and a test that overrides settings) works with no row. With Redis as the
cache the answer is held there, so every web process and worker sees a saved change on its next read."""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

CACHE_KEY = "pep:partnership:v1"
SEEDED_FROM = ("PARTNERSHIP_NAME", "PARTNERSHIP_LA_CODES", "STATISTICAL_NEIGHBOUR_LA_CODES")


@dataclass(frozen=True)
class Current:
    name: str
    la_codes: tuple
    neighbour_la_codes: tuple
    address: str = ""
    email: str = ""
    phone: str = ""
    website: str = ""
    saved: bool = False  # False: the environment's seed values, nobody has saved the settings page

    @property
    def has_contact(self):
        return bool(self.address or self.email or self.phone)


def split_codes(text):
    return tuple(code.strip() for code in (text or "").split(",") if code.strip())


def from_environment():
    return Current(
        name=settings.PARTNERSHIP_NAME,
        la_codes=tuple(settings.PARTNERSHIP_LA_CODES),
        neighbour_la_codes=tuple(settings.STATISTICAL_NEIGHBOUR_LA_CODES),
    )


def load():
    from .models import Partnership

    row = Partnership.objects.filter(id=Partnership.SINGLETON_ID).first()
    if row is None:
        return from_environment()
    return Current(
        name=row.name, la_codes=split_codes(row.la_codes), neighbour_la_codes=split_codes(row.neighbour_la_codes),
        address=row.address, email=row.email, phone=row.phone, website=row.website, saved=True,
    )


def shared_cache():
    # With the database cache (no CACHE_URL) a cache lookup is itself a query: reading the one row
    # costs the same and does not need the cache table (commands run before createcachetable).
    return settings.CACHES["default"]["BACKEND"] != "django.core.cache.backends.db.DatabaseCache"


def current():
    if not shared_cache():
        return load()
    value = cache.get(CACHE_KEY)
    if value is None:
        value = load()
        cache.set(CACHE_KEY, value, None)
    return value


def forget():
    if shared_cache():
        cache.delete(CACHE_KEY)


def forget_now_and_on_commit():
    # Now for this process's next read; again after commit, in case another process re-read the
    # old row between the save and the commit.
    forget()
    transaction.on_commit(forget)

