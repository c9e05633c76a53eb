"""Best-fit priorities: an LA officer's priority over the computed one.

Every change is a new PriorityOverride row and the active one is cleared (who, when), so the history
of a school's best fits stays whole. The school dashboard and the demo both write through here.
"""

from django.db import transaction
from django.utils import timezone

from .models import PriorityOverride, SchoolRating


def set_best_fit(school, priority, reason, user, run):
    """Replace the school's active best fit, recording the priority the run computed beside it."""
    with transaction.atomic():
        _clear_active(school, user)
        rating = SchoolRating.objects.filter(run=run, school=school).first() if run else None
        return PriorityOverride.objects.create(
            school=school, priority=priority, reason=reason,
            computed_priority=rating.priority if rating else "", run=run, set_by=user,
        )


def clear_best_fit(school, user):
    """The computed priority applies again. False when the school had no active best fit."""
    with transaction.atomic():
        return _clear_active(school, user)


def _clear_active(school, user):
    active = PriorityOverride.objects.active().select_for_update().filter(school=school)
    return active.update(cleared_at=timezone.now(), cleared_by=user) > 0
