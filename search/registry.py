"""The kinds of thing search finds. Each kind is one Provider (see search/providers.py): adding a
kind (news, say) is one more registered class there, and nothing else changes.

A provider says which public objects exist (`queryset()`), how one becomes a document
(`document(obj)`), and which saved or deleted models change which of its objects (`watch`).
"""

from dataclasses import dataclass


@dataclass
class Doc:
    key: str
    title: str
    url: str
    summary: str = ""
    body: str = ""
    when: object = None


class Provider:
    kind = ""  # stored in SearchDocument.kind and used in ?kind=
    label = ""  # the heading of its group of results, plural
    # {"app_label.ModelName": callable(instance) -> iterable of primary keys of this provider's objects}
    watch = {}
    # A date field of the model after which an object becomes public with no save (a post scheduled
    # for later): search.freshness indexes those whose date has come since it last looked.
    scheduled_by = ""

    def queryset(self):
        raise NotImplementedError

    def document(self, obj):
        raise NotImplementedError


PROVIDERS = {}


def register(cls):
    provider = cls()
    if not provider.kind or provider.kind in PROVIDERS:
        raise ValueError(f"search provider {cls.__name__}: kind {provider.kind!r} is missing or taken")
    PROVIDERS[provider.kind] = provider
    return cls


def provider(kind):
    return PROVIDERS[kind]
