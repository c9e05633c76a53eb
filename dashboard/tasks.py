"""Celery tasks of the dashboard app; the nightly refresh's tasks live in refresh.tasks."""

# School improvement support's reminder task lives in its own module.
from .support_tasks import *  # noqa: F401,F403
