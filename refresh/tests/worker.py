"""The Celery worker the service tests start: the portal's own worker, with the faults a test asks for.

    python -m refresh.tests.worker worker --pool=solo ...   (the arguments of `celery -A pep_portal`)

The test that starts it chooses in the worker's environment (read here, never by the portal):
PEP_REFRESH_TEST_PAUSE=<seconds>: pause after the new ratings are written, before the switch;
PEP_REFRESH_TEST_PAUSE_ATTEMPTS=<n>: pause only in the first n attempts of the refresh;
PEP_REFRESH_TEST_FAIL_URN=<urn>: that school's data raises while the schools are rated;
PEP_REFRESH_WATCHDOG_AT_START=1: keep the watchdog at worker start, which is off by default here
because it would start a refresh in the test database.
"""

import os
import sys

import django


def install_faults(environ):
    from celery.signals import worker_ready

    from dashboard import runs
    from refresh import tasks
    from refresh.tests import faults

    pause = float(environ.get("PEP_REFRESH_TEST_PAUSE") or 0)
    if pause:
        attempts = int(environ.get("PEP_REFRESH_TEST_PAUSE_ATTEMPTS") or 0) or None
        runs.write_results = faults.paused_write(pause, runs.write_results, attempts)
    if environ.get("PEP_REFRESH_TEST_FAIL_URN"):
        runs.school_facts = faults.failing_facts(environ["PEP_REFRESH_TEST_FAIL_URN"], runs.school_facts)
    if environ.get("PEP_REFRESH_WATCHDOG_AT_START") != "1":
        worker_ready.disconnect(tasks.watchdog_at_worker_start, dispatch_uid=tasks.WATCHDOG_AT_START_UID)


def main(argv):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pep_portal.settings")
    django.setup()
    install_faults(os.environ)
    from pep_portal.celery import app

    app.worker_main(argv)


if __name__ == "__main__":
    main(sys.argv[1:])
