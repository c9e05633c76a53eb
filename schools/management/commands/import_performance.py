"""manage.py import_performance FILE... [--kind K] [--year YYYY]: performance files through the import pipeline."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from schools.imports.pipeline import report_lines, run_path
from schools.imports.profiles import KINDS
from schools.models import ImportRecord


class Command(BaseCommand):
    help = (
        "Import DfE performance files (KS2, KS4, KS4 destinations, MAT KS4, school information, absence, census, "
        "Ofsted MI, EES suspensions). The kind and "
        "academic year are recognised from the header and file name unless given."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+")
        # ks4_mats (MAT KS4 performance) and school_information (spine) are kinds of schools/imports/mat_and_school_info.py.
        parser.add_argument("--kind", choices=(*KINDS, "ks4_mats", "school_information"),
                            help="The kind of every file given")
        parser.add_argument("--year", type=int, help="Academic year by its start: 2018 = 2018/19")
        parser.add_argument("--replace", action="store_true",
                            help="Replace figures already imported as final for the year (without it such a file "
                                 "is refused and nothing is written)")

    def handle(self, *args, files, kind=None, year=None, replace=False, **options):
        refused = []
        for name in files:
            path = Path(name)
            if not path.is_file():
                refused.append(f"{name}: no such file")
                self.stderr.write(refused[-1])
                continue
            # Each file is its own import (own record and transaction); one refusal does not stop the rest.
            record = run_path(path, kind=kind, year=year, source="command", replace=replace)
            for line in report_lines(record):
                self.stdout.write(line)
            if record.status != ImportRecord.Status.DONE:
                refused.append(record.message)
        if refused:
            raise CommandError(refused[0] if len(refused) == 1 else
                               f"{len(refused)} of {len(files)} files refused; first: {refused[0]}")
