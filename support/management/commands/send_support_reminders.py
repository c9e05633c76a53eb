import datetime

from django.core.management.base import BaseCommand, CommandError

from support import reminders


class Command(BaseCommand):
    help = (
        "Email LA officers a digest of overdue support items (visits past their date, next steps past due, "
        "questions unanswered by their reply date) and remind schools of questions waiting for their reply."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Treat this date (YYYY-MM-DD) as today")

    def handle(self, *args, date=None, **options):
        today = None
        if date:
            try:
                today = datetime.date.fromisoformat(date)
            except ValueError:
                raise CommandError("Give the date as YYYY-MM-DD, for example 2026-01-15") from None
        reminders.send_reminders(today=today, stdout=self.stdout)
