from django.core.management.base import BaseCommand

from events import bookings


class Command(BaseCommand):
    help = "Pass on lapsed waiting-list offers and remind confirmed bookers of events in the next two days."

    def handle(self, *args, **options):
        result = bookings.send_reminders()
        self.stdout.write(f"{result['reminders']} reminders sent, {result['offers_lapsed']} offers lapsed.")
