"""Keeping the index current: a saved or deleted object re-indexes the documents it appears in
(each provider's `watch`), and a finished register import re-indexes schools and trusts (imports
write in bulk, which sends no per-row signals). The nightly "search index" beat entry rebuilds
everything, which also catches what changes with the date alone (a group whose start date arrives).
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
    if instance.status == "done" and instance.kind in REGISTER_KINDS:
        index.rebuild(["schools", "trusts"])


def connect():
    for kind, provider in PROVIDERS.items():
        for label, affected in provider.watch.items():
            model = apps.get_model(label)
            handler = _handler(kind, affected)  # weak=False below: nothing else holds this closure
            post_save.connect(handler, sender=model, weak=False, dispatch_uid=f"search:{kind}:{label}:save")
            post_delete.connect(handler, sender=model, weak=False, dispatch_uid=f"search:{kind}:{label}:delete")
    post_save.connect(_after_import, sender=apps.get_model("schools.ImportRecord"), dispatch_uid="search:import")
