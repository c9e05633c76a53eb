"""A preview's validated plan, kept beside the stored upload so that the confirm can write it at once.

The plan is what validating the file against the database found. The confirm reuses it when the file
is the same (the stored upload never changes) and nothing it was checked against has changed since the
preview: the state of the register and figures below, and the partnership's LA codes. Otherwise the
confirm validates again. The saved plan is signed with the site's secret key, so only what this
portal wrote is ever unpickled.
"""

import hmac
import pickle

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Count, Max
from django.utils.crypto import salted_hmac

from schools import measures
from schools.models import Benchmark, ImportRecord, Measure, School, SchoolLink, Trust, TrustLink, TrustValue, Value

from .plan import ImportContext
from .reading import Table

SALT = "schools.imports.saved_plan"
# The layout of what validate() plans; raised when it changes, so that a plan saved by the earlier
# layout (a preview made before an upgrade) is validated again rather than misread.
PLAN_LAYOUT = 2


def state(la_codes):
    """What a validation depends on, in a few cheap aggregates: any import done, school saved, figure or
    link added or removed since changes it."""
    done = ImportRecord.objects.filter(status=ImportRecord.Status.DONE).aggregate(n=Count("id"), at=Max("finished_at"))
    schools = School.objects.aggregate(n=Count("id"), at=Max("updated_at"))
    last_ids = [model.objects.aggregate(m=Max("id"))["m"]
                for model in (Value, Benchmark, TrustValue, Trust, TrustLink, SchoolLink, Measure)]
    # Cells are checked by each measure's unit, which an admin may edit between preview and confirm.
    units = [[code, unit] for code, unit in sorted(measures.units().items())]
    return [PLAN_LAYOUT, sorted(la_codes), done["n"], str(done["at"]), schools["n"], str(schools["at"]), *last_ids, units]


def save(record, table, kind, ctx, plan):
    """Keep the plan with the import (record.report["saved_plan"]), replacing an earlier one."""
    forget(record)
    light = Table(file_name=table.file_name, header=list(table.header), rows=range(len(table.rows)), row_numbers=[],
                  encoding=table.encoding, format=table.format)
    kept = {"kind": kind.code, "table": light, "year": ctx.year, "profile": ctx.profile, "plan": plan,
            "warnings": ctx.warnings, "warning_counts": ctx.warning_counts, "la_codes": ctx.la_codes}
    blob = pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL)
    name = default_storage.save(f"{record.stored_name}.plan", ContentFile(_sign(blob) + blob))
    return {"file": name, "state": state(ctx.la_codes), "sha256": record.sha256}


def load(record):
    """The saved analysis as a dict, or None when there is none or it does not verify."""
    saved = (record.report or {}).get("saved_plan")
    if not saved or saved.get("sha256") != record.sha256:
        return None
    try:
        with default_storage.open(saved["file"], "rb") as fh:
            data = fh.read()
    except OSError:
        return None
    signature, blob = data[:64], data[64:]
    if not hmac.compare_digest(signature, _sign(blob)):
        return None
    return pickle.loads(blob)  # noqa: S301 - signed above with the site's secret key


def reusable(record, la_codes):
    """(table, kind, ctx, plan) of the preview when nothing changed since it, else None."""
    saved = (record.report or {}).get("saved_plan")
    if not saved or saved.get("state") != state(la_codes):
        return None
    kept = load(record)
    if kept is None:
        return None
    from .kinds import get_kind

    kind = get_kind(kept["kind"])
    ctx = ImportContext(kept["table"], kind, year=kept["year"], record=record, la_codes=kept["la_codes"],
                        profile=kept["profile"])
    ctx.warnings, ctx.warning_counts = kept["warnings"], kept["warning_counts"]
    return kept["table"], kind, ctx, kept["plan"]


def forget(record):
    saved = (record.report or {}).get("saved_plan")
    if saved and saved.get("file"):
        default_storage.delete(saved["file"])


def _sign(blob):
    return salted_hmac(SALT, blob, algorithm="sha256").hexdigest().encode()
