"""manage.py import_performance FILE... [--kind K] [--year YYYY]: exit 0 on success, non-zero with the message."""

import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from schools.models import Benchmark, ImportRecord
from schools.tests.perf_support import perf_file

pytestmark = pytest.mark.django_db

HERTS = perf_file("dfe_ptables_2023-24_919_hertfordshire_abs.csv")
KS2 = perf_file("dfe_ptables_2018-19_936_surrey_ks2final.csv")


def test_it_imports_files_and_reports_what_it_did():
    out = io.StringIO()
    call_command("import_performance", str(HERTS), perf_file("dfe_ptables_2018-19_815_northyorks_census.csv"),
                 stdout=out)
    text = out.getvalue()
    assert "dfe_ptables_2023-24_919_hertfordshire_abs.csv: Imported as Absence" in text
    assert "no schools of the partnership in this file" in text
    assert "warning: 512 rows name schools not in the register (first 200 listed)" in text
    assert Benchmark.objects.filter(year=2023, la_code="919").count() == 6
    assert ImportRecord.objects.filter(source="command", status=ImportRecord.Status.DONE).count() == 2


def test_it_takes_kind_and_year_from_the_user(tmp_path):
    path = tmp_path / "england_abs.csv"  # the DfE's own name for the file: no year in it
    path.write_bytes(HERTS.read_bytes())
    with pytest.raises(CommandError, match="academic year"):
        call_command("import_performance", str(path), stdout=io.StringIO())
    call_command("import_performance", str(path), "--kind", "absence", "--year", "2023", stdout=io.StringIO())
    assert ImportRecord.objects.filter(status=ImportRecord.Status.DONE, academic_year=2023, kind="absence").exists()


def test_it_refuses_with_the_message_naming_file_row_column():
    with pytest.raises(CommandError) as exc:
        call_command("import_performance", str(KS2), "--year", "2017", stdout=io.StringIO())
    message = str(exc.value)
    assert "dfe_ptables_2018-19_936_surrey_ks2final.csv, row 1, column TELIG_18" in message
    assert "not 2017/18 as chosen" in message and "expected" in message


def test_it_refuses_the_wrong_kind_for_the_chosen_kind():
    with pytest.raises(CommandError, match="not a KS4 results file; it looks like Absence"):
        call_command("import_performance", str(HERTS), "--kind", "ks4", stdout=io.StringIO())


def test_it_exits_non_zero_from_the_shell(tmp_path):
    manage = Path(__file__).resolve().parents[2] / "manage.py"
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "HTTPS": "false", "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, str(manage), "migrate", "-v0"], env=env, check=True, capture_output=True)
    good = subprocess.run([sys.executable, str(manage), "import_performance", str(HERTS)], env=env,
                          capture_output=True, text=True)
    assert good.returncode == 0, good.stderr
    bad = subprocess.run([sys.executable, str(manage), "import_performance", str(HERTS), "--kind", "ks2"], env=env,
                         capture_output=True, text=True)
    assert bad.returncode != 0
    assert "row 1, column PERCTOT" in bad.stderr
