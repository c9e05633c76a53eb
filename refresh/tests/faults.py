"""Faults the refresh tests put into the rating run: in the test's own process, or in a worker of its own.

They replace `dashboard.runs.school_facts` (one school's data raises) or `dashboard.runs.write_results`
(a pause after the new ratings are written, before the switch, so a test can kill the worker at the
worst moment). The production code has no switch for either.
"""

import logging
import time

from dashboard import runs

logger = logging.getLogger(__name__)

BAD_DATA = "this school's figures could not be read (corrupt value)"


def failing_facts(urn, facts):
    """school_facts, except that the school with this URN raises."""

    def school_facts(school):
        if str(school.urn) == str(urn):
            raise ValueError(BAD_DATA)
        return facts(school)

    return school_facts


def paused_write(seconds, write, attempts=None):
    """write_results, then a pause (only in the first `attempts` attempts of the refresh, if given)."""

    def write_results(*args, **kwargs):
        result = write(*args, **kwargs)
        if attempts is None or current_attempt() <= attempts:
            logger.warning("test pause: %s s before the switch", seconds)
            time.sleep(seconds)
        return result

    return write_results


def current_attempt():
    from refresh.models import RefreshRun

    row = RefreshRun.objects.filter(status=RefreshRun.Status.RUNNING).order_by("-started_at").first()
    return row.attempts if row is not None else 1


def fail_school(monkeypatch, urn):
    """In this process: the school with this URN raises while the schools are rated."""
    monkeypatch.setattr(runs, "school_facts", failing_facts(urn, runs.school_facts))
