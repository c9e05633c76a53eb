"""Performance data kinds (KS2, KS4, absence, census, Ofsted, suspensions) for the one import pipeline.

Two layers:
- `parsing.parse_table(header, numbered_rows, recognised)` (with figures.py and ofsted_rows.py): pure,
  no database. Turns the rows of a recognised file into school figures and LA/England benchmark
  figures, with every fatal problem (file, row, column, what was expected) and every warning collected.
- The `PerformanceKind` classes plug that into `schools.imports.pipeline`: validate() compares the
  figures with the database (new / changed / unchanged, nothing written); write() runs inside the
  pipeline's single transaction and writes only new and changed figures, set-based, recording a
  `ValueChange` for every figure a newer file replaced.
"""

from __future__ import annotations

from dataclasses import replace

from django.utils import timezone

from pep_portal import bulk

from .. import measures
from . import profiles, year_checks
from .kinds import Kind, register_kind
from .parsing import parse_table
from .plan import Plan, load_existing
from .profiles import ProfileError
from .reading import ImportProblem

VALUE_FIELDS = ("value", "marker", "cohort")
VALUE_KEY = ("school_id", "measure_id", "year")
VALUE_COLUMNS = (*VALUE_KEY, *VALUE_FIELDS)


def _same_figure(old, new):
    """old/new: (value, marker, cohort). Floats from the same text compare equal; no tolerance needed."""
    return old[0] == new[0] and (old[1] or "") == (new[1] or "") and old[2] == new[2]


def _shown(value, marker):
    return marker if marker else value


class PerformanceKind(Kind):
    """One kind per DfE file family; all share the profile recognition and the figure tables."""

    order = 50
    needs_year = False  # the year comes from the header, name, rows or the user; refused in validate()

    def __init__(self, code):
        self.code = code
        self.label = profiles.KIND_LABELS[code]
        self.signature = profiles.KIND_SIGNS[code]
        self.description = f"{self.label}: DfE columns such as " + ", ".join(self.signature[:4])

    def score(self, table):
        # The performance kinds tell each other apart by their distinctive columns; the best match wins.
        if profiles.guess_kind(table.header) != self.code:
            return 0
        return 100 + profiles.score_kinds(table.header)[self.code]

    def recognise_profile(self, table, year):
        try:
            recognised = replace(profiles.recognise(table.header, table.file_name, kind=self.code, year=year),
                                 units=measures.units())
            # A measure missing from the catalogue is refused here, before a row is read.
            for m in recognised.profile.measures:
                recognised.unit(m.code)
            return recognised
        except ProfileError as exc:
            raise ImportProblem(str(exc), file=table.file_name, row=1, column=exc.column,
                                expected=exc.expected) from None

    def expected_text(self):
        return f"{self.label} ({self.code}: columns such as {', '.join(self.signature[:4])})"

    # -- validate: read everything, compare with the database, write nothing
    def validate(self, ctx):
        from schools.models import Benchmark, Measure, School, Value

        table = ctx.table
        recognised = ctx.profile or self.recognise_profile(table, ctx.year)
        parsed = parse_table(table.header, ctx.iter_rows(), recognised)
        for p in parsed.errors:
            ctx.error(p.row, p.column, p.message, p.expected)
        ctx.error_count += parsed.error_count - len(parsed.errors)
        plan = Plan()
        if parsed.error_count:
            return plan
        for note in recognised.warnings:
            ctx.warn(None, "", note, code="year_mismatch")
        for w in parsed.warnings:
            ctx.warn(w.row, w.column, w.message, code=w.code)
        plan.skip(parsed.skipped)
        ctx.year = parsed.year
        profile = recognised.profile
        if ctx.record is not None:
            ctx.record.profile = profile.name

        measure_ids = dict(Measure.objects.filter(code__in=profile.measure_codes).values_list("code", "id"))
        missing = [c for c in parsed.columns_used if c not in measure_ids]
        if missing:
            raise ImportProblem(f"the measure {missing[0]} is not set up in the portal", file=ctx.file_name,
                                expected="the measures created by the schools migrations (run manage.py migrate)")

        # Schools: match URNs to the register; unknown URNs are warnings, listed and skipped.
        urns = list(parsed.schools)
        # A national file names most schools: one pass over the register beats thousands of IN lists.
        if len(urns) < 5000:
            register = {u: i for u, i in School.objects.filter(urn__in=urns).values_list("urn", "id")} if urns else {}
        else:
            register = dict(School.objects.order_by().values_list("urn", "id"))
        unknown = [u for u in urns if u not in register]
        for urn in unknown:
            f = parsed.schools[urn]
            ctx.warn(f.row, "URN" if profile.layout != "ees" else "school_urn",
                     f"URN {urn}{' (' + f.name + ')' if f.name else ''} is not in the register; skipped",
                     code="unknown_urn")
        plan.skip(len(unknown))
        matched = {urn: register[urn] for urn in urns if urn in register}
        if profile.kind != "ofsted":
            year_checks.check_prev_columns(ctx, recognised, parsed, matched, measure_ids)
        if urns and not matched:
            ctx.warn(None, "URN", "no schools of the partnership in this file", code="no_partnership_schools")

        # New figures apart from changed ones: the new go straight into the table (bulk's likely_new).
        value_rows, changed_rows, value_changes = [], [], []
        counts = {"new": 0, "changed": 0, "unchanged": 0, "final_kept": 0}
        # Provisional figures never replace final ones of the same year (a late provisional upload).
        keep_final = profile.name.startswith(("ks2_provisional", "ks4_provisional"))
        final_sources = set()

        def year_of(urn):
            if profile.kind == "ofsted":
                return parsed.report_card_years.get(urn)
            return parsed.year

        years = {year_of(u) for u in matched} - {None}
        existing = {}
        if matched and years and measure_ids:
            qs = Value.objects.filter(measure_id__in=measure_ids.values(), year__in=years)
            for row in qs.values_list("school_id", "measure_id", "year", "value", "marker", "cohort", "source_id"):
                existing[row[:3]] = row[3:]
        if keep_final:
            final_sources = _final_sources(existing.values())
        # An Ofsted row gets one status from its report card and its judgement together (settled below),
        # so rows read = new + changed + unchanged + skipped, like every other file.
        ofsted_rows = {}
        for urn, school_id in matched.items():
            f = parsed.schools[urn]
            year = year_of(urn)
            if year is None:
                ofsted_rows[urn] = ("unchanged", {})  # no report card: nothing for the value table
                continue
            status, changes = self._compare_figures(
                f, year, measure_ids, existing, (school_id,), (value_rows, changed_rows), value_changes, counts,
                final_sources)
            if profile.kind == "ofsted":
                ofsted_rows[urn] = (status, changes)
            else:
                plan.add(urn, status, changes=changes, row=f.row, label=f.name or str(urn))

        bench_rows, bench_changes = [], []
        bench_existing = {}
        if parsed.benchmarks and measure_ids:
            qs = Benchmark.objects.filter(measure_id__in=measure_ids.values(), year=parsed.year)
            for row in qs.values_list("area", "la_code", "phase", "measure_id", "year", "value", "marker", "cohort",
                                      "source_id"):
                bench_existing[(row[0], row[1], row[2], row[3], row[4])] = row[5:]
            if keep_final:
                final_sources |= _final_sources(bench_existing.values())
        for b in parsed.benchmarks:
            status, changes = self._compare_figures(
                b, parsed.year, measure_ids, bench_existing, b.key, (bench_rows, bench_rows), bench_changes, counts,
                final_sources)
            label = {"england": "England (state-funded)", "england_all": "England (all schools)"}.get(
                b.area, f"LA {b.la_code}") + (f" {b.phase}" if b.phase else "")
            plan.add(label, status, changes=changes, row=b.row, label=label)

        if profile.kind != "ofsted":
            names = {matched[u]: parsed.schools[u].name or f"URN {u}" for u in matched}
            plan.replaces = year_checks.final_replacements(parsed.year, value_changes, bench_changes, names)
        ofsted_updates = []
        current_ofsted = load_existing(School.objects.all(), "id", ["ofsted_rating", "ofsted_date"],
                                       keys=[matched[u] for u in parsed.ofsted if u in matched]) if parsed.ofsted else {}
        for urn, outcome in parsed.ofsted.items():
            if urn not in matched:
                continue
            current = current_ofsted[matched[urn]]
            if current["ofsted_date"] and outcome.inspected and outcome.inspected < current["ofsted_date"]:
                continue  # the register already has a later graded inspection
            if current["ofsted_rating"] != outcome.rating or current["ofsted_date"] != outcome.inspected:
                ofsted_updates.append((matched[urn], outcome.rating, outcome.inspected))
                status, changes = ofsted_rows.get(urn, ("unchanged", {}))
                ofsted_rows[urn] = ("changed" if status == "unchanged" else status, {**changes, "Ofsted": (
                    f"{current['ofsted_rating'] or 'none'} {current['ofsted_date'] or ''}".strip(),
                    f"{outcome.rating} {outcome.inspected or ''}".strip())})
        card_changes = report_card_changes(parsed.report_cards, matched)
        changed_cards = {school_id for school_id, *_ in card_changes}
        for urn, (status, changes) in ofsted_rows.items():
            if status == "unchanged" and matched[urn] in changed_cards:
                status = "changed"  # a new or newer report card is a change of this row too
            f = parsed.schools[urn]
            plan.add(urn, status, changes=changes, row=f.row, label=f.name or str(urn))

        plan.payload = {
            "values": value_rows, "changed_values": changed_rows, "value_changes": value_changes,
            "benchmarks": bench_rows, "benchmark_changes": bench_changes,
            "ofsted": ofsted_updates, "year": parsed.year, "report_cards": card_changes,
        }
        plan.summary = {
            "file profile": profile.label,
            "year read from": recognised.year_source,
            "columns used": ", ".join(f"{k} from {v}" for k, v in parsed.columns_used.items()),
            "school rows": len(parsed.schools),
            "schools in the register": len(matched),
            "schools not in the register (skipped)": len(unknown),
            "LA and England rows": len(parsed.benchmarks),
            "figures new": counts["new"],
            "figures changed": counts["changed"],
            "figures unchanged": counts["unchanged"],
        }
        if counts["final_kept"]:
            plan.summary["final figures kept"] = counts["final_kept"]
            ctx.warn(None, "", f"{counts['final_kept']:,} figures already come from a final file for this year and "
                     "were kept (provisional figures do not replace final ones)", code="final_kept")
        if profile.kind == "ofsted":
            plan.summary["Ofsted judgements updated"] = len(ofsted_updates)
            plan.summary["report cards (from November 2025) new or changed"] = len(plan.payload["report_cards"])
        if urns and not matched:
            plan.summary["note"] = "no schools of the partnership in this file"
        for note in profile.notes:
            plan.summary.setdefault("about this year", note)
        return plan

    @staticmethod
    def _compare_figures(figures, year, measure_ids, existing, key, out_rows, out_changes, counts, final_sources):
        """out_rows: (new rows, changed rows), the lists to add this row's new and changed figures to."""
        new_rows, changed_rows = out_rows
        statuses, changes = set(), {}
        for code, (value, marker) in figures.values.items():
            mid = measure_ids[code]
            new = (value, marker, figures.cohort)
            old = existing.get((*key, mid, year))
            if old is not None and old[3] in final_sources:
                counts["final_kept"] += 1
                counts["unchanged"] += 1
            elif old is None:
                statuses.add("new")
                counts["new"] += 1
                new_rows.append((*key, mid, year, *new))
            elif _same_figure(old[:3], new):
                counts["unchanged"] += 1
            else:
                statuses.add("changed")
                counts["changed"] += 1
                changed_rows.append((*key, mid, year, *new))
                out_changes.append((*key, mid, year, old[0], old[1] or "", value, marker, old[3]))
                changes[code] = (_shown(old[0], old[1]), _shown(value, marker))
        if "changed" in statuses:
            status = "changed"
        elif "new" in statuses:
            status = "new"
        else:
            status = "unchanged"
        return status, changes

    # -- write: inside the pipeline's one transaction; only new and changed figures, set-based
    def write(self, ctx, plan):
        from schools.models import Benchmark, School, Value, ValueChange

        payload = plan.payload
        record_id = ctx.record.pk if ctx.record is not None else None
        now = timezone.now()
        stamp = {"source_id": record_id, "updated_at": now}
        for rows, likely_new in ((payload["values"], True), (payload["changed_values"], False)):
            bulk.upsert(Value, VALUE_COLUMNS, rows, unique=VALUE_KEY, update=(*VALUE_FIELDS, *stamp),
                        constants=stamp, likely_new=likely_new)
        bulk.upsert(Benchmark, ("area", "la_code", "phase", "measure_id", "year", "value", "marker", "cohort",
                                "source_id"),
                    ((*r, record_id) for r in payload["benchmarks"]),
                    unique=("area", "la_code", "measure_id", "year", "phase"),
                    update=("value", "marker", "cohort", "source_id"))
        if record_id is not None:
            bulk.insert(ValueChange, CHANGE_FIELDS, _change_rows(payload, record_id, now))
        write_report_cards(payload["report_cards"], record_id)
        if payload["ofsted"]:
            School.objects.bulk_update(
                [School(id=i, ofsted_rating=r, ofsted_date=d) for i, r, d in payload["ofsted"]],
                ["ofsted_rating", "ofsted_date"], batch_size=500,
            )
        # Rows (school or summary rows) with at least one new or changed figure or Ofsted judgement.
        return plan.new + plan.changed


def report_card_changes(cards, matched):
    """[(school id, inspected, concern, areas)] of the report cards that are new or newer than the stored ones."""
    from schools.models import ReportCard

    wanted = {matched[u]: card for u, card in cards.items() if u in matched}
    if not wanted:
        return []
    stored = {sid: (d, c, a) for sid, d, c, a in ReportCard.objects.filter(school_id__in=list(wanted)).values_list(
        "school_id", "inspected_on", "category_of_concern", "areas")}
    out = []
    for school_id, (inspected, concern, areas) in wanted.items():
        old = stored.get(school_id)
        if old is not None and (old[0] > inspected or old == (inspected, concern, areas)):
            continue  # the stored card is later, or the same
        out.append((school_id, inspected, concern, areas))
    return out


def write_report_cards(changes, record_id):
    from schools.models import ReportCard

    if not changes:
        return
    ReportCard.objects.filter(school_id__in=[c[0] for c in changes]).delete()
    ReportCard.objects.bulk_create([ReportCard(school_id=sid, inspected_on=d, category_of_concern=c, areas=a,
                                               source_id=record_id) for sid, d, c, a in changes], batch_size=1000)


def _final_sources(existing_rows):
    """Import ids among the existing figures' sources that were final KS2/KS4 files."""
    from schools.models import ImportRecord

    ids = {row[3] for row in existing_rows if row[3] is not None}
    if not ids:
        return set()
    return set(ImportRecord.objects.filter(pk__in=ids, profile__contains="_final_").values_list("pk", flat=True))


CHANGE_FIELDS = ("school_id", "benchmark_area", "benchmark_la_code", "benchmark_phase", "measure_id", "year",
                 "old_value", "old_marker", "new_value", "new_marker", "old_source_id", "source_id", "changed_at",
                 "trust_uid")


def _change_rows(payload, record_id, now):
    """ValueChange rows of the figures a newer file replaced: schools' first, then LA and England ones."""
    for c in payload["value_changes"]:
        yield (c[0], "", "", "", c[1], c[2], c[3], c[4], c[5], c[6], c[7], record_id, now, None)
    for c in payload["benchmark_changes"]:
        yield (None, c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], record_id, now, None)


for _code in profiles.KINDS:
    register_kind(PerformanceKind(_code))
