from django.core.management.base import BaseCommand, CommandError

from refresh import api, running


class Command(BaseCommand):
    help = (
        "Run the nightly refresh now, in this process: recompute strategy figures, rate every school, email LA "
        "officers the priority changes. Takes the same lock as the nightly task, so it never overlaps one."
    )

    def add_arguments(self, parser):
        parser.add_argument("--if-missed", action="store_true",
                            help="Run the watchdog instead: only run an interrupted run, a run that could not be "
                                 "queued or a missed night (for cron, needs no broker)")
        parser.add_argument("--queue", action="store_true", help="Queue the refresh for a worker instead")

    def handle(self, *args, if_missed=False, queue=False, **options):
        if if_missed:
            found, row = running.watchdog()
            self.stdout.write(f"Watchdog: {found}.")
        elif queue:
            row = api.request_run(trigger=running.Trigger.COMMAND)
        else:
            row = running.perform(trigger=running.Trigger.COMMAND)
        if row is None:
            return
        line = f"Refresh {row.pk}: {row.get_status_display().lower()}"
        if row.status == row.Status.DONE:
            line += (f"; {row.schools_rated} schools rated, {row.priorities_changed} priorities changed, "
                     f"{row.emails_sent} emails sent; {row.duration_seconds or 0:.1f} s.")
        elif row.error:
            line += f": {row.error}"
        if row.status == row.Status.FAILED:
            raise CommandError(line)
        self.stdout.write(line)
