"""manage.py import_gias FILE... [--la-codes 936]: import GIAS register files through the pipeline."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from schools.imports.gias import REGISTER_KINDS
from schools.imports.pipeline import peek_kind, report_lines, run_path
from schools.models import ImportRecord


class Command(BaseCommand):
    help = "Import GIAS files (establishments, groups, group links, links) in that order."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+")
        parser.add_argument("--la-codes", help="Comma-separated LA codes (default: settings.PARTNERSHIP_LA_CODES)")
        parser.add_argument("--kind", choices=REGISTER_KINDS, help="Force the kind of every file")

    def handle(self, *args, files, la_codes=None, kind=None, **options):
        codes = [c.strip() for c in la_codes.split(",") if c.strip()] if la_codes else None
        ordered = []
        for name in files:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"{name}: no such file")
            ordered.append((self._order(path, kind), str(path)))
        failed = []
        for _, path in sorted(ordered):
            record = run_path(path, kind=kind, source="command", la_codes=codes)
            for line in report_lines(record):
                self.stdout.write(line)
            if record.status != ImportRecord.Status.DONE:
                failed.append(record)
                break  # later files depend on earlier ones (links need the register)
        if failed:
            raise CommandError(failed[0].message)

    def _order(self, path, kind):
        # Register before groups before links, whatever order the files were given in.
        from schools.imports.pipeline import get_kind

        with open(path, "rb") as fh:
            head = fh.read(65536)
        k = get_kind(kind) if kind else peek_kind(head, path.name)
        return k.order if k else 0
