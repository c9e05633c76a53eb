"""Shared helpers for the performance import tests: the real DfE files and a database fingerprint."""

import hashlib
from pathlib import Path

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
PERFORMANCE = DATA / "performance"
SURREY_REGISTER = DATA / "gias" / "gias_extract_2021_surrey936_all_open_establishments.csv"


def perf_file(name):
    return PERFORMANCE / name


def load_surrey_register():
    from schools.imports.pipeline import run_path
    from schools.models import ImportRecord

    record = run_path(SURREY_REGISTER, source="command", la_codes=["936"])
    assert record.status == ImportRecord.Status.DONE, record.message
    return record


def import_path(path, **kwargs):
    from schools.imports.pipeline import run_path

    kwargs.setdefault("source", "command")
    return run_path(path, **kwargs)


def import_bytes(data, name, **kwargs):
    from schools.imports.pipeline import run_file

    kwargs.setdefault("source", "command")
    return run_file(data, name, **kwargs)


def fingerprint():
    """Row counts and a content checksum of every table an import may write (not the import log)."""
    from schools.models import Benchmark, School, Value, ValueChange

    digest = hashlib.sha256()
    counts = {}
    for model, fields in (
        (Value, ("school_id", "measure_id", "year", "value", "marker", "cohort", "source_id", "updated_at")),
        (Benchmark, ("area", "la_code", "phase", "measure_id", "year", "value", "marker", "cohort", "source_id")),
        (ValueChange, ("school_id", "measure_id", "year", "old_value", "new_value", "source_id")),
        (School, ("urn", "ofsted_rating", "ofsted_date", "updated_at")),
    ):
        rows = list(model.objects.order_by("pk").values_list(*fields))
        counts[model.__name__] = len(rows)
        digest.update(repr(rows).encode())
    return counts, digest.hexdigest()
