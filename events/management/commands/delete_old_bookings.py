from django.core.management.base import BaseCommand

from events import bookings


class Command(BaseCommand):
    help = "Delete event bookings (personal data) a year after their event ended."

    def handle(self, *args, **options):
        self.stdout.write(f"{bookings.delete_old_bookings()} bookings deleted.")
