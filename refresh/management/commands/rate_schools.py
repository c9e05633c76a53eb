from django.core.management.base import BaseCommand, CommandError

from dashboard.ratings import RatingError
from dashboard.runs import NothingToRate
from refresh.api import rate_now
from refresh.locks import Busy
from schools.years import year_label


class Command(BaseCommand):
    help = "Rate every school in the partnership for an academic year and make the run current."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="Academic year by its start (2018 = 2018/19); default: latest")

    def handle(self, *args, year=None, **options):
        # The same lock as the nightly refresh: a run by hand never overlaps a scheduled one.
        try:
            run = rate_now(year=year)
        except (Busy, NothingToRate, RatingError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Rated {run.schools_rated} of {run.schools_considered} schools for {year_label(run.year)} "
            f"with {run.rule_set}; {run.priorities_changed} priorities changed; {run.duration_seconds:.1f} s."
        )
