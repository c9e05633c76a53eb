"""The shared world for the permission matrix and the canary and accessibility sweeps.

Each app adds its objects in `<app>/tests/matrix.py`:

    def setup(world):        # create objects, link personas (world.personas.<name>)
        world.school_a = ...
    ROUTES = [Route("schools:detail", lambda w: {"urn": w.school_a.urn},
                    {"anonymous": 200, "school_leader": 200, ...}, a11y="anonymous")]

`expect` gives the GET status for every persona in conftest.PERSONAS ("login" means a redirect to
the login page). `a11y` names the persona the accessibility sweep views the page as (None: skip,
e.g. a CSV export or a feed). Every URL pattern of the portal's apps must appear in some ROUTES.
"""

import importlib
from dataclasses import dataclass, field
from types import SimpleNamespace

MATRIX_APPS = ("pep_portal", "schools", "dashboard", "refresh", "support", "governance", "strategy", "communications", "events",
               "search", "reports")

CANARY_RATING = "CANARY-RATING-7f3a9"
CANARY_EXEMPT = "CANARY-EXEMPT-51c2e"
# Planted in draft news and a draft bulletin: drafts are never public.
CANARY_DRAFT = "CANARY-DRAFT-3e8d1"


@dataclass
class Route:
    name: str
    kwargs: object = None  # callable(world) -> dict, or None
    expect: dict = field(default_factory=dict)
    a11y: str | None = None
    query: str = ""

    def url(self, world):
        from django.urls import reverse

        kwargs = self.kwargs(world) if callable(self.kwargs) else (self.kwargs or {})
        return reverse(self.name, kwargs=kwargs) + self.query


def app_modules():
    modules = []
    for app in MATRIX_APPS:
        try:
            modules.append(importlib.import_module(f"{app}.tests.matrix"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.tests.matrix":
                raise
    return modules


def build_world(personas):
    world = SimpleNamespace(personas=personas)
    for module in app_modules():
        if hasattr(module, "setup"):
            module.setup(world)
    return world


def all_routes():
    return [route for module in app_modules() for route in getattr(module, "ROUTES", [])]
