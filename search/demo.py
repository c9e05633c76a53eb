"""The demo's search index: built from the demo's public content (run last by load_demo)."""

from . import index


def load(stdout):
    counts = index.rebuild()
    stdout.write("Search index: " + ", ".join(f"{n} {kind}" for kind, n in counts.items()))
