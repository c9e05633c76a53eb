"""One measured step of the bench, run in its own process so Django start-up is part of what is timed.

    python bench/child.py STEP [args]   ->   one JSON object on the last line of stdout

Every result has `startup_s` (django.setup() in this process), `seconds` (the step itself, after
start-up) and `maxrss_mb` (peak resident memory of this process). The parent (bench/run.py) sets
the environment: DATABASE_URL, PARTNERSHIP_LA_CODES, MEDIA_ROOT, DEBUG/HTTPS off.
"""

import json
import os
import resource
import sys
import time

T0 = time.perf_counter()
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pep_portal.settings")


def maxrss_mb():
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # KiB on Linux


def django_setup():
    import django

    django.setup()
    return time.perf_counter() - T0


def emit(result):
    sys.stdout.write("\n" + json.dumps(result) + "\n")
    sys.stdout.flush()


# ------------------------------------------------------------------------------------------- steps
def step_migrate(args):
    startup = django_setup()
    from django.core.management import call_command

    t = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    return {"startup_s": startup, "seconds": time.perf_counter() - t}


def step_floor(args):
    """The floor of an import: Django start-up plus pandas reading the same file as text."""
    path = args[0]
    startup = django_setup()
    import pandas

    t = time.perf_counter()
    frame = pandas.read_csv(path, dtype=str, encoding_errors="replace", low_memory=False)
    return {"startup_s": startup, "seconds": time.perf_counter() - t, "rows": len(frame)}


def step_preview(args):
    """The upload page's step: store, read, validate. Writes no data (reported, not a target)."""
    path = args[0]
    startup = django_setup()
    from schools.imports.pipeline import preview

    with open(path, "rb") as fh:
        data = fh.read()
    t = time.perf_counter()
    record = preview(data, os.path.basename(path), source="command")
    return {"startup_s": startup, "seconds": time.perf_counter() - t, "record": record.pk,
            "status": record.status, "kind": record.kind, "year": record.academic_year, "rows": record.rows_read,
            "message": record.message}


def step_confirm(args):
    """The confirmed write (the target): what the confirm button's worker does, in a fresh process."""
    pk = int(args[0])
    startup = django_setup()
    from schools.imports.pipeline import confirm
    from schools.models import ImportRecord

    t = time.perf_counter()
    record = confirm(ImportRecord.objects.get(pk=pk))
    seconds = time.perf_counter() - t
    return {"startup_s": startup, "seconds": seconds, "status": record.status, "kind": record.kind,
            "rows": record.rows_read, "rows_written": record.rows_written, "message": record.message}


def step_rate(args):
    startup = django_setup()
    from dashboard.models import MeasureRating, SchoolRating
    from refresh.api import rate_now

    t = time.perf_counter()
    run = rate_now()
    seconds = time.perf_counter() - t
    return {"startup_s": startup, "seconds": seconds, "year": run.year, "rows": run.schools_considered,
            "schools_rated": run.schools_rated, "status": run.status,
            "school_ratings": SchoolRating.objects.filter(run=run).count(),
            "measure_ratings": MeasureRating.objects.filter(school_rating__run=run).count()}


def step_load(args):
    """Import files without timing each (the small comparison database): path per argument, in order."""
    startup = django_setup()
    from schools.imports.pipeline import run_path
    from schools.models import ImportRecord

    t = time.perf_counter()
    refused = []
    for path in args:
        record = run_path(path, source="command")
        if record.status != ImportRecord.Status.DONE:
            refused.append(f"{os.path.basename(path)}: {record.message}")
    return {"startup_s": startup, "seconds": time.perf_counter() - t, "rows": len(args), "refused": refused}


def step_pages(args):
    """Each page by the Django test client: median and p95 over N requests, SQL queries, script bytes."""
    n = int(args[0]) if args else 20
    startup = django_setup()
    from bench import pages

    t = time.perf_counter()
    result = pages.measure(n)
    return {"startup_s": startup, "seconds": time.perf_counter() - t, **result}


def step_report(args):
    """The progress report as an officer downloads it: the web page and the PDF, median of N each."""
    n = int(args[0]) if args else 3
    startup = django_setup()
    import datetime
    import statistics

    from bench import pages

    client = pages.signed_in_client(pages.officer())
    today = datetime.date.today()
    url = f"/reports/progress/?from={today - datetime.timedelta(days=120)}&to={today}"
    t = time.perf_counter()
    out = {}
    for name, suffix in (("html", ""), ("pdf", "&format=pdf")):
        times, size = [], 0
        for _ in range(n):
            started = time.perf_counter()
            response = client.get(url + suffix)
            times.append(time.perf_counter() - started)
            if response.status_code != 200:
                raise RuntimeError(f"{url + suffix}: {response.status_code}")
            size = len(response.content)
        out[name] = {"median_s": round(statistics.median(times), 3), "max_s": round(max(times), 3), "bytes": size}
    return {"startup_s": startup, "seconds": time.perf_counter() - t, "requests_each": n, **out}


def step_session(args):
    """A signed-in LA officer (TOTP set up) for the load test: the session cookie and the pages' URLs."""
    startup = django_setup()
    from bench import pages

    t = time.perf_counter()
    return {"startup_s": startup, "seconds": time.perf_counter() - t, **pages.server_session()}


def step_bulletin(args):
    """A bulletin to N subscribers: queue it (the delivery rows and the batches handed to the workers:
    the target), then run every batch in this process to the in-memory mail backend, as the workers
    would, and count each recipient's recorded result."""
    n = int(args[0]) if args else 10000
    startup = django_setup()
    from django.db.models import Count

    from communications import sending
    from communications.models import Bulletin, Delivery, Subscriber

    Subscriber.objects.bulk_create(
        [Subscriber(email=f"reader{i:05}@bench.example.org", status=Subscriber.Status.ACTIVE) for i in range(n)],
        batch_size=2000,
    )
    bulletin = Bulletin.objects.create(subject="Bench week", body="## Latest news\n\n- [A post](https://example.org/news/a/): text")
    handed = []
    original = sending.dispatch
    sending.dispatch = lambda pk, rows: handed.extend((pk, *batch) for batch in sending.batches(rows))
    t = time.perf_counter()
    sending.queue(bulletin.pk)
    queued = time.perf_counter() - t
    sending.dispatch = original
    t2 = time.perf_counter()
    for args_ in handed:
        sending.send_batch(*args_)
    sent = time.perf_counter() - t2
    states = dict(Delivery.objects.filter(bulletin=bulletin).values_list("state").annotate(n=Count("pk")))
    return {"startup_s": startup, "seconds": queued, "subscribers": n, "batches": len(handed),
            "queue_s": round(queued, 3), "send_and_record_s": round(sent, 3), "results": states,
            "bulletin_status": Bulletin.objects.get(pk=bulletin.pk).status}


def step_search(args):
    """Meetings and news posts to the given numbers beside the loaded schools, the index built, /search/ timed."""
    n_meetings, n_news, requests = int(args[0]), int(args[1]), int(args[2])
    startup = django_setup()
    from bench import search

    t = time.perf_counter()
    result = search.measure(n_meetings, n_news, requests)
    return {"startup_s": startup, "seconds": time.perf_counter() - t, **result}


def step_read_csv(args):
    """Read a large CSV as an import does (read_table, then every row): peak memory against its size."""
    path = args[0]
    startup = django_setup()
    from schools.imports.reading import read_table

    with open(path, "rb") as fh:
        data = fh.read()
    before = maxrss_mb()  # start-up and the file's bytes, which the upload holds anyway
    t = time.perf_counter()
    table = read_table(data, os.path.basename(path))
    rows = sum(1 for _ in table.rows)
    return {"startup_s": startup, "seconds": time.perf_counter() - t, "rows": rows, "file_mb": len(data) / 1e6,
            "rss_before_read_mb": before, "read_mb": maxrss_mb() - before}


def step_refuse_xlsx(args):
    """Read a hostile workbook as an import does: how long until it is refused, in CPU and wall seconds."""
    path = args[0]
    startup = django_setup()
    from schools.imports.reading import ImportProblem, read_table

    with open(path, "rb") as fh:
        data = fh.read()
    t, cpu = time.perf_counter(), time.process_time()
    try:
        read_table(data, os.path.basename(path))
        message = None
    except ImportProblem as problem:
        message = str(problem)
    return {"startup_s": startup, "seconds": time.perf_counter() - t, "cpu_s": round(time.process_time() - cpu, 3),
            "file_mb": len(data) / 1e6, "refused": message is not None, "message": message}


STEPS = {name[5:]: fn for name, fn in globals().items() if name.startswith("step_")}


def main():
    step, args = sys.argv[1], sys.argv[2:]
    result = STEPS[step](args)
    result["startup_s"] = round(result["startup_s"], 3)
    result["seconds"] = round(result["seconds"], 3)
    result["maxrss_mb"] = maxrss_mb()
    emit(result)


if __name__ == "__main__":
    main()
