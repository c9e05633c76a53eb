"""Support work follows the dashboard's priorities: after a rating run, and when a best-fit priority changes.

Connected in SupportConfig.ready(); the dashboard sends and saves without knowing support exists.
"""

from django.db import transaction

from . import plans


def run_finished(sender, run, **kwargs):
    plans.sync_support_safely(run)


def override_changed(sender, instance, **kwargs):
    """A best-fit priority set or removed moves the school's support work once the change is saved."""
    user = instance.cleared_by or instance.set_by
    transaction.on_commit(lambda: plans.sync_school(instance.school, user=user))
