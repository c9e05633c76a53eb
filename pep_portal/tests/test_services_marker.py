"""`make test` on a fresh clone: tests needing services are reported as not run; CI requires them."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEST = "pep_portal/tests/test_foundation.py::test_a_task_runs_on_a_real_worker"


def run_pytest(**env):
    clean = {k: v for k, v in os.environ.items()
             if k not in ("DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL", "PEP_SERVICES")}
    return subprocess.run([sys.executable, "-m", "pytest", TEST, "-rs", "-q", "-p", "no:randomly"],
                          cwd=ROOT, env={**clean, "HTTPS": "false", **env}, capture_output=True, text=True,
                          timeout=300)


def test_with_no_services_configured_they_are_reported_as_not_run():
    result = run_pytest()
    assert result.returncode == 0, result.stdout[-2000:]
    assert "1 skipped" in result.stdout and "not run: no PostgreSQL/Redis configured" in result.stdout


def test_with_services_required_a_missing_one_fails_them():
    result = run_pytest(PEP_SERVICES="required")
    assert result.returncode != 0 and ("1 failed" in result.stdout or "1 error" in result.stdout), result.stdout[-2000:]
    assert "PEP_SERVICES=required, but no PostgreSQL/Redis is configured" in result.stdout
