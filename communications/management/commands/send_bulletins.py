from django.core.management.base import BaseCommand

from communications import sending


class Command(BaseCommand):
    help = "Send scheduled bulletins whose time has come and resume sends that stopped (what beat runs each minute)."

    def handle(self, *args, **options):
        done = sending.send_due()
        self.stdout.write(f"Queued {len(done['queued'])} scheduled bulletin(s); resumed {len(done['resumed'])}.")
