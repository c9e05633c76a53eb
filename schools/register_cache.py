"""Figures and lists that change only with the register, cached until it changes.

With 22,000 schools the home page's aggregates and the directory's filter choices (school types,
1,400 trusts) cost more than the rest of their pages; they are the same for every visitor, so each
is computed once per register change. The key changes when any import is done or any school is
saved (imports and the admin both set School.updated_at); entries also expire after ten minutes.
"""

import hashlib

from django.core.cache import cache
from django.db.models import Max

from pep_portal import partnership

from .models import ImportRecord, School, Trust, TrustLink

SECONDS = 600


def register_key():
    stamps = (
        ImportRecord.objects.filter(status=ImportRecord.Status.DONE).aggregate(m=Max("finished_at"))["m"],
        School.objects.aggregate(m=Max("updated_at"))["m"],
        ",".join(partnership.current().la_codes),
    )
    return hashlib.sha256(repr(stamps).encode()).hexdigest()[:32]


def cached(name, compute, key=None):
    """compute() once per register state. Pass `key` (register_key()) when a page needs several."""
    full = f"register-{name}-{key or register_key()}"
    value = cache.get(full)
    if value is None:
        value = compute()
        cache.set(full, value, SECONDS)
    return value


def type_choices(key=None):
    """[(type name, type name)] of the partnership's schools, for the Type filters."""
    def compute():
        names = (School.objects.partnership().exclude(type_name="").order_by("type_name")
                 .values_list("type_name", flat=True).distinct())
        return [(t, t) for t in names]

    return cached("types", compute, key)


def trust_choices(field="uid", key=None):
    """[(trust uid or id, name)] of the trusts (multi- and single-academy) with a current partnership school."""
    def compute():
        # A subquery on the links: joining trusts to links with `school__in=partnership` let SQLite probe
        # every (trust, school) pair (48 s with 22,000 schools; 0.03 s this way).
        current = TrustLink.objects.filter(left_on=None, school__in=School.objects.partnership())
        return list(Trust.objects.filter(type__in=(Trust.Type.MAT, Trust.Type.SAT), id__in=current.values("trust_id"))
                    .order_by("name").values_list(field, "name"))

    return cached(f"trusts-{field}", compute, key)
