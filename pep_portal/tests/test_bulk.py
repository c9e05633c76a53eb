"""The one bulk writer (pep_portal/bulk.py) on the database the tests run on: SQLite by default,
PostgreSQL (COPY and a staging table) with DATABASE_URL=postgres://..."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from pep_portal import bulk
from schools.imports.gias import DEFAULTS
from schools.models import Governance, LocalAuthority, Measure, School, Value

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 1, 12, 30, tzinfo=datetime.UTC)
COLUMNS = ("school_id", "measure_id", "year", "value", "marker", "cohort", "source_id", "updated_at")
KEY = ("school_id", "measure_id", "year")
UPDATE = ("value", "marker", "cohort")


def school(la, urn, **extra):
    fields = {"urn": urn, "la": la, "name": f"School {urn}", "phase": "primary", "governance": Governance.ACADEMY,
              "type_name": "Academy converter", "pupils": 200, "ofsted_rating": "Good"}
    fields.update(extra)
    return School.objects.create(**fields)


@pytest.fixture
def two_schools():
    la = LocalAuthority.objects.create(code="899", name="Northbridge")
    return la, school(la, 800001), school(la, 800002), Measure.objects.get(code="ks2_rwm_exp")


def figures(measure):
    return {v.school_id: (v.value, v.marker, v.cohort) for v in Value.objects.filter(measure=measure, year=2023)}


def test_it_inserts_new_rows_and_updates_only_changed_ones(two_schools):
    _, a, b, measure = two_schools
    first = [(a.id, measure.id, 2023, 61.0, "", 30, None, NOW), (b.id, measure.id, 2023, None, "SUPP", None, None, NOW)]
    assert bulk.upsert(Value, COLUMNS, first, unique=KEY, update=UPDATE) == 2
    again = [(a.id, measure.id, 2023, 64.5, "", 31, None, NOW), (b.id, measure.id, 2023, None, "SUPP", None, None, NOW)]
    assert bulk.upsert(Value, COLUMNS, again, unique=KEY, update=UPDATE) == 1  # b is unchanged: not touched
    assert figures(measure) == {a.id: (64.5, "", 31), b.id: (None, "SUPP", None)}
    assert bulk.upsert(Value, COLUMNS, again, unique=KEY, update=UPDATE) == 0


def test_it_leaves_unchanged_rows_untouched_in_the_database(two_schools):
    _, a, _, measure = two_schools
    row = (a.id, measure.id, 2023, 61.0, "", 30, None, NOW)
    bulk.upsert(Value, COLUMNS, [row], unique=KEY, update=UPDATE)
    later = NOW + datetime.timedelta(days=1)
    # Only the update columns decide: a new updated_at alone is no change, so the row keeps the old one.
    bulk.upsert(Value, COLUMNS, [(*row[:-1], later)], unique=KEY, update=UPDATE)
    assert Value.objects.get(school=a).updated_at == NOW
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT xmin FROM schools_value")
            version = cursor.fetchone()
            bulk.upsert(Value, COLUMNS, [row], unique=KEY, update=UPDATE)
            cursor.execute("SELECT xmin FROM schools_value")
            assert cursor.fetchone() == version  # no new row version written


def test_it_does_nothing_on_a_conflict_without_update_columns(two_schools):
    _, a, _, measure = two_schools
    bulk.upsert(Value, COLUMNS, [(a.id, measure.id, 2023, 61.0, "", 30, None, NOW)], unique=KEY, update=UPDATE)
    assert bulk.upsert(Value, COLUMNS, [(a.id, measure.id, 2023, 1.0, "", 1, None, NOW)], unique=KEY) == 0
    assert figures(measure) == {a.id: (61.0, "", 30)}


def test_it_inserts_rows_from_a_generator(two_schools):
    _, a, b, measure = two_schools
    rows = ((s.id, measure.id, 2023, 50.0 + i, "", None, None, NOW) for i, s in enumerate((a, b)))
    assert bulk.insert(Value, COLUMNS, rows) == 2
    assert figures(measure) == {a.id: (50.0, "", None), b.id: (51.0, "", None)}


def test_it_writes_dates_and_decimals_the_same_when_many_rows_share_them():
    la = LocalAuthority.objects.create(code="899", name="Northbridge")
    for i in range(12):
        school(la, 800000 + i)
    names = ["urn", "la_id", "name", "updated_at", "ofsted_date", "fsm_percent"]
    extra = [f for f in DEFAULTS if f not in names]
    rows = [(800000 + i, la.id, f"S{i}", NOW, datetime.date(2024, 1, 1 + i % 3) if i % 4 else None,
             Decimal("12.5") if i % 2 else Decimal(12), *(DEFAULTS[f] for f in extra)) for i in range(12)]
    bulk.upsert(School, [*names, *extra], rows, unique=["urn"], update=names[2:])
    saved = {s.urn: s for s in School.objects.all()}
    for row in rows:
        s = saved[row[0]]
        assert (s.updated_at, s.ofsted_date, s.fsm_percent) == (NOW, row[4], row[5])


def test_it_writes_awkward_text_nulls_and_dates_through_copy():
    la = LocalAuthority.objects.create(code="899", name="Northbridge")
    school(la, 800000, name="Old name")
    texts = ['St Mary\'s "Big", School', "Line\nbreak\r\nand\ttab", "", "\\N", "back\\slash \\t",
             "Ünïcödé, ok", "nul\x00byte", "NULL"]
    names = ["urn", "la_id", "name", "town", "updated_at", "pupils", "fsm_percent", "ofsted_date"]
    extra = [f for f in DEFAULTS if f not in names]
    rows = [(800000 + i, la.id, text, "", NOW, None if i % 2 else 10 * i, Decimal("12.5") if i else None,
             datetime.date(2024, 1, 2) if i else None, *(DEFAULTS[f] for f in extra))
            for i, text in enumerate(texts)]
    bulk.upsert(School, [*names, *extra], rows, unique=["urn"], update=names[2:])
    saved = {s.urn: s for s in School.objects.all()}
    for row in rows:
        s = saved[row[0]]
        assert (s.name, s.town, s.pupils, s.fsm_percent, s.ofsted_date, s.updated_at) == (
            row[2].replace("\x00", ""), "", row[5], row[6], row[7], NOW)


def test_it_writes_figures_through_copy_as_through_values(two_schools):
    _, a, b, measure = two_schools
    bulk.upsert(Value, COLUMNS, [(a.id, measure.id, 2023, 61.0, "", 30, None, NOW),
                                 (b.id, measure.id, 2023, None, "SUPP", None, None, NOW)], unique=KEY, update=UPDATE)
    bulk.upsert(Value, COLUMNS, [(a.id, measure.id, 2023, 64.5, "", 31, None, NOW)],  # a newer file: updated in place
                unique=KEY, update=UPDATE)
    assert figures(measure) == {a.id: (64.5, "", 31), b.id: (None, "SUPP", None)}


def test_it_encodes_every_value_kind_for_copy():
    cells = [None, "", 'a "b"', True, False, 3, 2.5, Decimal("1.50"), datetime.date(2024, 1, 2), "x\x00y"]
    assert bulk.copy_text([cells]) == ',"","a ""b""",t,f,3,2.5,1.50,2024-01-02,"xy"\n'


def test_constants_are_written_on_every_row(two_schools):
    _, a, b, measure = two_schools
    rows = [(a.id, measure.id, 2023, 61.0, "", 30), (b.id, measure.id, 2023, None, "SUPP", None)]
    stamp = {"source_id": None, "updated_at": NOW}
    assert bulk.upsert(Value, KEY + UPDATE, rows, unique=KEY, update=(*UPDATE, "updated_at"), constants=stamp) == 2
    assert {v.school_id: v.updated_at for v in Value.objects.all()} == {a.id: NOW, b.id: NOW}


@pytest.mark.parametrize("likely_new", [False, True])
def test_a_figure_naming_a_missing_school_writes_nothing(two_schools, likely_new):
    # The figure table has no database foreign keys (PostgreSQL checked them row by row): the writer checks.
    _, a, _, measure = two_schools
    rows = [(a.id, measure.id, 2023, 61.0, "", 30, None, NOW), (999999, measure.id, 2023, 1.0, "", 1, None, NOW)]
    with pytest.raises(IntegrityError, match=r"schools.Value.school: 1 id\(s\) not in schools.School \(999999\)"), \
            transaction.atomic():  # the caller's one transaction (an import's), undone by the refusal
        bulk.upsert(Value, COLUMNS, rows, unique=KEY, update=UPDATE, likely_new=likely_new)
    assert not Value.objects.exists()


def test_a_missing_measure_or_import_is_refused_too(two_schools):
    _, a, _, measure = two_schools
    with pytest.raises(IntegrityError, match="schools.Value.measure"), transaction.atomic():
        bulk.insert(Value, COLUMNS, [(a.id, 424242, 2023, 61.0, "", 30, None, NOW)])
    with pytest.raises(IntegrityError, match="schools.Value.source"), transaction.atomic():
        bulk.upsert(Value, KEY + UPDATE, [(a.id, measure.id, 2023, 61.0, "", 30)], unique=KEY, update=UPDATE,
                    constants={"source_id": 31337, "updated_at": NOW})
    assert not Value.objects.exists()


def test_likely_new_rows_that_are_there_after_all_are_upserted(two_schools):
    # Another writer got there between the read and the write: the conflict is settled, not raised.
    _, a, b, measure = two_schools
    bulk.upsert(Value, COLUMNS, [(a.id, measure.id, 2023, 61.0, "", 30, None, NOW)], unique=KEY, update=UPDATE)
    rows = [(a.id, measure.id, 2023, 64.5, "", 31, None, NOW), (b.id, measure.id, 2023, 50.0, "", 20, None, NOW)]
    with transaction.atomic():
        assert bulk.upsert(Value, COLUMNS, rows, unique=KEY, update=UPDATE, likely_new=True) == 2
    assert figures(measure) == {a.id: (64.5, "", 31), b.id: (50.0, "", 20)}


def test_deleting_a_school_still_deletes_its_figures(two_schools):
    _, a, b, measure = two_schools
    bulk.insert(Value, COLUMNS, [(s.id, measure.id, 2023, 61.0, "", 30, None, NOW) for s in (a, b)])
    a.delete()
    assert figures(measure) == {b.id: (61.0, "", 30)}
