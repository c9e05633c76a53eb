"""`make bench` end to end at a tiny scale: every step runs and the output is one JSON document.

The bench builds its own SQLite database in a temporary folder (DATABASE_URL is removed here so a
PostgreSQL test run does not send it to the server); timings at this scale mean nothing, so only
the shape of the output and the flat query counts are asserted.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = ("public_home", "school_directory", "school_page", "dashboard_overview", "dashboard_school_list",
         "school_dashboard")


def test_it_runs_every_step_and_prints_one_json_document():
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "PYTEST_VERSION", "PYTEST_CURRENT_TEST", "DJANGO_SETTINGS_MODULE")}
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--schools", "120", "--small-schools", "60",
         "--requests", "2", "--years", "1", "--floor-runs", "1", "--no-server",
         "--bulletin-subscribers", "200"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=170, check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout)  # stdout is the JSON document and nothing else

    assert result["errors"] == []
    steps = result["steps"]
    kinds = {entry["kind"] for entry in steps["imports"]}
    assert {"gias_establishments", "gias_groups", "gias_group_links", "gias_links", "ks2", "ks4"} <= kinds
    for entry in steps["imports"]:
        assert entry["rows"] > 0 and entry["seconds"] > 0 and entry["floor_s"] > 0
        assert entry["peak_memory_mb"] > 0 and entry["ratio"] is not None
    assert steps["rating_run"]["schools_rated"] > 0
    pages = steps["pages"]["pages"]
    assert set(pages) == set(PAGES)
    for name, page in pages.items():
        assert page["status"] == 200, name
        assert page["queries"] <= page["queries_small_db"], name  # query counts do not grow with schools
        assert page["script_bytes"] > 0, name
    assert steps["bulletin"]["results"] == {"sent": 200} and steps["bulletin"]["ok"]
    report = steps["progress_report"]
    assert report["html"]["bytes"] > 0 and report["pdf"]["bytes"] > 0 and set(report["targets"]) == {
        "html_under_10_s", "pdf_under_10_s"}
    summary = result["summary"]
    assert summary["targets_total"] > 0 and "all_targets_met" in summary
