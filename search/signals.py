"""Keeping the index current: a saved or deleted object re-indexes the documents it appears in
(each provider's `watch`). Register imports write in bulk, without per-row signals: search.freshness
catches up before a search, and, when a broker is configured, a finished import queues that catch-up
for a worker (never in-process: a national import must not wait for the index). The nightly "search
index" beat entry rebuilds everything, which also catches what changes with the date alone (a group
whose start date arrives).
"""

from django.apps import apps
from django.db.models.signals import post_delete, post_save

from . import index
from .registry import PROVIDERS

REGISTER_KINDS = ("gias_establishments", "gias_groups", "gias_group_links", "gias_links")


def _handler(kind, affected):
    def handler(sender, instance, **kwargs):
        index.reindex(kind, affected(instance))

    return handler


def _after_import(sender, instance, **kwargs):
    from django.conf import settings
    from django.db import transaction

    if instance.status == "done" and instance.kind in REGISTER_KINDS and settings.CELERY_BROKER_URL:
        from .tasks import catch_up_register

        transaction.on_commit(catch_up_register.delay)


def connect():
    for kind, provider in PROVIDERS.items():
        for label, affected in provider.watch.items():
            model = apps.get_model(label)
            handler = _handler(kind, affected)  # weak=False below: nothing else holds this closure
            post_save.connect(handler, sender=model, weak=False, dispatch_uid=f"search:{kind}:{label}:save")
            post_delete.connect(handler, sender=model, weak=False, dispatch_uid=f"search:{kind}:{label}:delete")
    post_save.connect(_after_import, sender=apps.get_model("schools.ImportRecord"), dispatch_uid="search:import")
