from django.core.management.base import BaseCommand, CommandError

from search import index
from search.registry import PROVIDERS


class Command(BaseCommand):
    help = "Rebuild the site search index from the public content (all kinds, or those named)."

    def add_arguments(self, parser):
        parser.add_argument("kinds", nargs="*", help=f"Kinds to rebuild (default all): {', '.join(PROVIDERS)}")

    def handle(self, *args, kinds=(), **options):
        unknown = sorted(set(kinds) - set(PROVIDERS))
        if unknown:
            raise CommandError(f"Unknown kind {', '.join(unknown)}; the kinds are {', '.join(PROVIDERS)}")
        for kind, count in index.rebuild(list(kinds) or None).items():
            self.stdout.write(f"{kind}: {count} documents")
