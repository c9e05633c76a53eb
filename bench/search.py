"""The search bench (needs django.setup()): meetings (and news, once its model exists) at England
scale beside the schools already loaded, the index built, then /search/ timed by the test client.

PRODUCT.md: public search under 100 ms median with 22,000 schools and 5,000 news items and meetings.
"""

import random
import statistics
import time

from django.db import connection, reset_queries

TARGET_MS = 100
WORDS = ["attendance", "reading", "phonics", "exclusions", "inclusion", "transition", "mathematics", "SEND",
         "disadvantaged pupils", "persistent absence", "curriculum", "governors", "recruitment", "wellbeing",
         "early years", "key stage 2", "outcomes", "safeguarding", "budget", "training", "oracy", "writing"]


def seed_meetings(n_meetings, seed=16):
    """Groups and n_meetings meetings, each with three public items and (one in ten) an exempt one."""
    import datetime

    from django.utils import timezone

    from governance.models import AgendaItem, Group, GroupKind, Meeting, MinutesStatus

    have = Meeting.objects.count()
    if have >= n_meetings:
        return have
    rng = random.Random(seed)
    groups = Group.objects.bulk_create(
        Group(name=f"{w.title()} {k} {i}", slug=f"bench-{i}", kind=k, remit=f"Works on {w} across the partnership.")
        for i, (w, k) in enumerate((rng.choice(WORDS), rng.choice(list(GroupKind.values))) for _ in range(60))
    )
    now = timezone.now()
    meetings = Meeting.objects.bulk_create(
        Meeting(group=rng.choice(groups), starts_at=now + datetime.timedelta(days=rng.randint(-1500, 120)),
                place="Civic Offices", title=f"{rng.choice(WORDS).title()} meeting {i}",
                minutes_status=MinutesStatus.PUBLISHED if rng.random() < 0.8 else MinutesStatus.DRAFT)
        for i in range(n_meetings - have)
    )
    items = []
    for m in meetings:
        for order in (1, 2, 3):
            topic = rng.choice(WORDS)
            items.append(AgendaItem(meeting=m, order=order, title=f"{topic.title()} update",
                                    body=f"The group discussed {topic} and {rng.choice(WORDS)} in schools.",
                                    decision=f"Agreed to report on {rng.choice(WORDS)}."))
        if rng.random() < 0.1:
            items.append(AgendaItem(meeting=m, order=4, title="Exempt staffing matter", body="Confidential.",
                                    is_exempt=True, exempt_paragraph=1))
    AgendaItem.objects.bulk_create(items, batch_size=2000)
    return Meeting.objects.count()


def news_model():
    """The news model, when the communications app that holds it is installed (None otherwise)."""
    from django.apps import apps

    for model in apps.get_models():
        if model._meta.app_label in ("communications", "news") and "news" in model.__name__.lower():
            return model
    return None


def queries():
    """What visitors type: a school's name, a town, common words, a phrase, and a word found nowhere."""
    from schools.models import School

    names = list(School.objects.order_by("urn").values_list("name", "town")[::2000])
    return [names[0][0], names[len(names) // 2][0], names[-1][1] or "Northbridge", "primary", "academy school",
            "attendance", "persistent absence", '"key stage 2"', "phonics reading", "zebra-nothing-matches"]


def measure(n_meetings, requests):
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from search import index
    from search.models import SearchDocument

    seeded = seed_meetings(n_meetings)
    news = news_model()
    t = time.perf_counter()
    counts = index.rebuild()
    rebuild_s = time.perf_counter() - t
    client = Client()
    timings, per_query, sql = [], {}, {}
    for q in queries():
        client.get("/search/", {"q": q})  # warm
        mine = []
        for _ in range(requests):
            with CaptureQueriesContext(connection) as captured:
                t = time.perf_counter()
                response = client.get("/search/", {"q": q})
                mine.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, (q, response.status_code)
            sql[q] = len(captured)
        reset_queries()
        per_query[q] = round(statistics.median(mine), 1)
        timings += mine
    median = statistics.median(timings)
    return {
        "meetings": seeded, "news": "model not present: meetings only" if news is None else news.objects.count(),
        "documents": SearchDocument.objects.count(), "documents_by_kind": counts,
        "index_rebuild_s": round(rebuild_s, 2), "requests": len(timings), "median_ms": round(median, 1),
        "p95_ms": round(sorted(timings)[int(len(timings) * 0.95) - 1], 1), "median_ms_by_query": per_query,
        "queries_per_request": sql, "target_median_ms": TARGET_MS, "ok": median < TARGET_MS,
    }
