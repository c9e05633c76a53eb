"""Imports stay within bounded memory, and a workbook is refused before it costs more than a few seconds.

The figures at full size (a 30 MB CSV, the 0.7 MB hostile workbook) are measured by the bench's
import_limits step (bench/run.py --only import_limits); these tests check the same limits smaller.
"""

import io
import tracemalloc
import zipfile

import pytest

from schools.imports.pipeline import run_file
from schools.imports.reading import ImportProblem, read_table
from schools.models import ImportRecord, School
from schools.tests.hostile_files import hostile_xlsx, workbook_with_rows

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def figures_csv(rows=40_000, columns=60):
    """The worst case for memory: many short cells (a performance file is mostly small figures)."""
    header = "URN," + ",".join(f"M{c}" for c in range(columns)) + "\n"
    body = "".join(f"{100000 + r}," + ",".join(str((r + c) % 97) for c in range(columns)) + "\n"
                   for r in range(rows))
    return (header + body).encode()


def test_reading_a_csv_costs_under_ten_times_its_size():
    data = figures_csv()
    tracemalloc.start()
    try:
        table = read_table(data, "figures.csv")
        rows = sum(1 for _ in table.rows)  # and reading every row, as a validation does
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert rows == 40_000 and table.rows[5][0] == "100005" and len(table.rows[-1]) == 61
    assert peak < 10 * len(data), f"{peak / len(data):.1f} times the file's size"


def test_rows_keep_their_shape_quoted_newlines_and_short_rows():
    data = b'URN,Name,Town\n1,"Line one\nline two",Here\n2,Short\n\n3,"A ""quoted"" name",There,\n'
    table = read_table(data, "shapes.csv")
    assert list(table.rows) == [["1", "Line one\nline two", "Here"], ["2", "Short", ""],
                                ["3", 'A "quoted" name', "There"]]
    assert table.row_numbers == [2, 3, 5] and table.rows[1:2] == [["2", "Short", ""]]


def refused(data, words):
    record = run_file(data, "edubasealldata.xlsx")
    assert record.status == ImportRecord.Status.REFUSED, record.message
    assert all(w in record.message for w in words), record.message
    assert School.objects.count() == 0
    return record.message


def test_a_workbook_declaring_millions_of_cells_is_refused_before_it_is_parsed():
    data = hostile_xlsx(rows=20_000)
    message = refused(data, ("cells", "save it as CSV"))
    assert "800,000 cells" in message


def test_a_workbook_hiding_its_size_is_stopped_at_the_cell_limit():
    with pytest.raises(ImportProblem) as err:
        read_table(hostile_xlsx(rows=20_000, dimension=False), "edubasealldata.xlsx")
    assert "more than" in str(err.value) and "cells" in str(err.value)


def test_a_workbook_part_too_large_to_parse_quickly_is_refused():
    message = refused(hostile_xlsx(rows=60_000, dimension=False), ("too large", "save it as CSV"))
    assert "sheet1.xml" in message


def test_huge_shared_strings_are_refused_before_they_are_loaded():
    base = workbook_with_rows(3, 3)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        strings = "".join(f"<si><t>{i % 5000}</t></si>" for i in range(1_200_000))
        dst.writestr("xl/sharedStrings.xml", '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                                              f'count="1200000" uniqueCount="1200000">{strings}</sst>')
    refused(out.getvalue(), ("sharedStrings.xml", "too large"))


def test_a_small_workbook_still_reads():
    table = read_table(workbook_with_rows(50, 8), "small.xlsx")
    assert len(table.rows) == 49 and table.header[:2] == ["C0", "C1"]
