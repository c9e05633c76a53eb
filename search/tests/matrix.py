"""Search: public to everyone, signed in or not; the canary queries are in tests/test_canaries.py."""

from tests.world import Route

PUBLIC = {p: 200 for p in ("anonymous", "school_leader", "trust_leader", "chair", "officer", "admin")}


def setup(world):
    from search import index

    index.rebuild()  # the world's public content, as the nightly rebuild would index it


ROUTES = [
    Route("search:index", expect=PUBLIC, a11y="anonymous"),
    Route("search:index", expect=PUBLIC, a11y="anonymous", query="?q=attendance"),
    Route("search:index", expect=PUBLIC, a11y="school_leader", query="?q=subgroup"),
]
