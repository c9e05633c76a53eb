from django.core.management.base import BaseCommand

from strategy.progress import recompute_targets


class Command(BaseCommand):
    help = "Recompute every strategy target's baseline, latest figure, trajectory and status from the data."

    def handle(self, *args, **options):
        count = recompute_targets()
        self.stdout.write(f"Recomputed {count} target(s).")
