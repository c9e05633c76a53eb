"""`make bench`: PEP Portal at England scale, measured against the figures in PRODUCT.md.

    .venv/bin/python bench/run.py [--schools 22000] [--las 152] [--gias-rows 50000] [--no-server]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/run.py

Generates the files in the real DfE/GIAS layouts (schools/demo_generator.py, demo_performance.py) in
a temporary folder, builds a FRESH database of its own (a SQLite file in the temporary folder, or,
when DATABASE_URL names a PostgreSQL server, a database `pep_bench_<pid>` created and dropped here;
no other database is touched), with every generated LA in the partnership, then runs each step in
a child process (bench/child.py) so Django start-up is inside what is timed. Progress goes to
stderr; ONE JSON document goes to stdout. See bench/README.md.
"""
import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.procs import Databases, StepFailed, child, child_env, say, server_version  # noqa: E402
from bench.server import measure_server  # noqa: E402

# PRODUCT.md "Figures to reach"
IMPORT_SECONDS = {"ks2": 20, "ks4": 20, "gias_establishments": 30}
RATIO_TARGET = 3.0
MEMORY_TARGET_MB = 1024
RATING_SECONDS = 15
REPORT_SECONDS = 10
# PRODUCT.md "Reliability and security": imports within 10 times the file's size, a hostile
# workbook refused within a few seconds of CPU.
IMPORT_MEMORY_RATIO = 10
XLSX_REFUSE_CPU_SECONDS = 5
LIMITS_CSV_BYTES = 30_000_000
SCRIPT_BYTES_TARGET = 1_500_000
BULLETIN_SUBSCRIBERS = 10_000
BULLETIN_QUEUE_SECONDS = 10
FLOOR_RUNS = 3


# ------------------------------------------------------------------------------------------ imports
def figures_csv(path, size):
    """The worst case for an import's memory: a performance-like file of many short figures."""
    columns = 60
    with open(path, "w", newline="") as fh:
        fh.write("URN," + ",".join(f"M{c}" for c in range(columns)) + "\n")
        r = 0
        while fh.tell() < size:
            fh.write(f"{100000 + r}," + ",".join(str((r + c) % 97) for c in range(columns)) + "\n")
            r += 1
    return path


def measure_import_limits(tmp, dbs):
    """Peak memory reading a 30 MB CSV, and how long a hostile 0.7 MB workbook takes to be refused."""
    from schools.tests.hostile_files import hostile_xlsx

    env = child_env(dbs.url("main"), [], tmp / "media")
    csv_path = figures_csv(tmp / "figures-30mb.csv", LIMITS_CSV_BYTES)
    xlsx_path = tmp / "hostile.xlsx"
    xlsx_path.write_bytes(hostile_xlsx())
    say(f"import limits: reading {csv_path.stat().st_size / 1e6:.0f} MB of CSV, refusing a "
        f"{xlsx_path.stat().st_size / 1e6:.2f} MB hostile workbook")
    read = child("read_csv", [csv_path], env)
    read["times_file_size"] = round(read["read_mb"] * 1024 * 1024 / (read["file_mb"] * 1e6), 2)
    refuse = child("refuse_xlsx", [xlsx_path], env)
    targets = {f"csv_read_under_{IMPORT_MEMORY_RATIO}x_file_size": read["times_file_size"] < IMPORT_MEMORY_RATIO,
               f"hostile_xlsx_refused_under_{XLSX_REFUSE_CPU_SECONDS}_cpu_s":
                   refuse["refused"] and refuse["cpu_s"] < XLSX_REFUSE_CPU_SECONDS}
    say(f"  CSV: {read['read_mb']:.0f} MB ({read['times_file_size']}x its size); workbook refused after "
        f"{refuse['cpu_s']:.2f} CPU s")
    return {"csv": read, "hostile_xlsx": refuse, "targets": targets, "ok": all(targets.values())}


def measure_imports(files, env, floor_runs=FLOOR_RUNS):
    out = []
    for _kind, path in files:
        name = Path(path).name
        size = Path(path).stat().st_size
        say(f"import {name} ({size / 1e6:.1f} MB)")
        pre = child("preview", [path], env)
        if pre["status"] != "previewed":
            raise StepFailed(f"{name} refused at preview: {pre['message']}")
        done = child("confirm", [pre["record"]], env)
        if done["status"] != "done":
            raise StepFailed(f"{name} not written: {done['message']}")
        # The floor is measured three times and the median kept: one process start on a shared machine
        # varies by tens of percent, and the ratio is the figure to watch.
        floors = sorted((child("floor", [path], env) for _ in range(max(1, floor_runs))),
                        key=lambda f: f["startup_s"] + f["seconds"])
        floor = floors[len(floors) // 2]
        import_s = done["startup_s"] + done["seconds"]
        floor_s = floor["startup_s"] + floor["seconds"]
        ratio = import_s / floor_s if floor_s else None
        # Start-up is the same work in both processes and the noisiest part on a shared machine: the
        # ratio with one start-up (the median of the four measured) is reported beside it.
        startup = statistics.median([done["startup_s"], *(f["startup_s"] for f in floors)])
        steady = (startup + done["seconds"]) / (startup + floor["seconds"])
        limit = IMPORT_SECONDS.get(done["kind"])
        entry = {
            "file": name, "kind": done["kind"], "year": pre["year"], "bytes": size, "rows": done["rows"],
            "rows_written": done["rows_written"],
            "seconds": round(import_s, 3),  # the confirmed write in a fresh process: start-up + confirm()
            "startup_s": done["startup_s"], "confirm_s": done["seconds"], "wall_s": done["wall_s"],
            "rows_per_s": round(done["rows"] / import_s) if import_s else None,
            "peak_memory_mb": done["maxrss_mb"],
            "preview_s": pre["seconds"], "preview_peak_memory_mb": pre["maxrss_mb"],
            "floor_s": round(floor_s, 3), "floor_startup_s": floor["startup_s"], "floor_read_s": floor["seconds"],
            "floor_runs_s": [round(f["startup_s"] + f["seconds"], 3) for f in floors],
            "ratio": round(ratio, 2) if ratio else None, "ratio_same_startup": round(steady, 2),
            "targets": {"memory_under_1gb": done["maxrss_mb"] < MEMORY_TARGET_MB},
        }
        entry["targets"]["ratio_at_most_3"] = ratio is not None and ratio <= RATIO_TARGET  # every file kind
        if limit:
            entry["targets"][f"under_{limit}_s"] = import_s < limit
        entry["ok"] = all(entry["targets"].values())
        say(f"  {entry['rows']:,} rows: write {import_s:.2f} s (start-up {done['startup_s']:.2f} + confirm "
            f"{done['seconds']:.2f}), floor {floor_s:.2f} s, ratio {entry['ratio']}, "
            f"preview {pre['seconds']:.2f} s, {done['maxrss_mb']:.0f} MB")
        out.append(entry)
    return out

# --------------------------------------------------------------------------------------------- main
def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--schools", type=int, default=22000, help="open schools (default 22000)")
    p.add_argument("--las", type=int, default=None, help="local authorities (default 152, fewer for small runs)")
    p.add_argument("--gias-rows", type=int, default=None, help="rows of the GIAS extract incl. closed (default 50000)")
    p.add_argument("--requests", type=int, default=20, help="test-client requests per page (default 20)")
    p.add_argument("--small-schools", type=int, default=300, help="schools in the query-count comparison database")
    p.add_argument("--no-server", action="store_true", help="skip gunicorn + locust")
    p.add_argument("--duration", type=int, default=20, help="seconds of load on the server (default 20)")
    p.add_argument("--users", type=int, default=2, help="locust users (default 2: one per worker, so latency is not queueing)")
    p.add_argument("--years", type=int, default=3, choices=(1, 2, 3), help="academic years of performance files (3)")
    p.add_argument("--floor-runs", type=int, default=3, help="floor measurements per file, median kept (3)")
    p.add_argument("--keep", action="store_true", help="keep the temporary folder (files, SQLite databases)")
    p.add_argument("--bulletin-subscribers", type=int, default=BULLETIN_SUBSCRIBERS,
                   help=f"subscribers for the bulletin step (default {BULLETIN_SUBSCRIBERS:,})")
    p.add_argument("--only", choices=("imports", "report", "bulletin", "search", "import_limits"),
                   help="measure only this step (imports: the files' previews, confirms and floors; search: the "
                        "register at the given scale, then the search step; import_limits: no database)")
    p.add_argument("--meetings", type=int, default=5000, help="meetings for the search step (default 5000)")
    p.add_argument("--news", type=int, default=5000, help="news posts for the search step (default 5000)")
    args = p.parse_args(argv)
    if args.las is None:
        args.las = 152 if args.schools >= 152 * 20 else max(2, args.schools // 50)
    if args.gias_rows is None:
        args.gias_rows = max(args.schools, round(args.schools * 50000 / 22000))
    return args


def main(argv=None):
    args = parse_args(argv)
    started = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="pep-bench-"))
    dbs = Databases(tmp)
    result = {
        "bench": "PEP Portal England-scale bench",
        "started_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "load_average_at_start": [round(x, 2) for x in os.getloadavg()]},
        "database": dbs.engine,
        "scale": {"schools": args.schools, "las": args.las, "gias_rows": args.gias_rows, "years": args.years},
        "steps": {},
        "errors": [],
    }
    try:
        result["database_version"] = server_version(dbs)
        if args.only == "import_limits":
            result["steps"]["import_limits"] = measure_import_limits(tmp, dbs)
        else:
            only = {"imports": run_imports_only, "report": run_report_only, "bulletin": run_bulletin_only, "search": run_search_only}
            only.get(args.only, run_all)(args, tmp, dbs, result)
    except (StepFailed, subprocess.TimeoutExpired) as exc:
        result["errors"].append(str(exc))
        say(f"FAILED: {exc}")
    finally:
        try:
            dbs.drop()
        except Exception as exc:  # noqa: BLE001 - the JSON still comes out and says what was left behind
            result["errors"].append(f"could not drop the bench databases: {exc}")
        if args.keep:
            result["kept"] = str(tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    result["total_seconds"] = round(time.perf_counter() - started, 1)
    result["summary"] = summarise(result)
    json.dump(result, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0 if not result["errors"] else 1


def run_all(args, tmp, dbs, result):
    from bench import data

    steps = result["steps"]
    say(f"generating {args.schools:,} schools in {args.las} LAs, a {args.gias_rows:,}-row GIAS extract, "
        f"{args.years} year{'s' if args.years > 1 else ''}")
    years = data.demo_performance.YEARS[-args.years:]
    la_codes, files, facts = data.generate(tmp / "files", args.schools, args.las, args.gias_rows, years=years)
    steps["generate"] = facts
    say(f"  {facts['files']} files, {facts['bytes'] / 1e6:.0f} MB in {facts['seconds']:.1f} s")
    media = tmp / "media"
    env = child_env(dbs.url("main"), la_codes, media)

    say(f"fresh {dbs.engine} database; migrate")
    dbs.create_main()
    steps["migrate"] = child("migrate", [], env)
    dbs.clone_main_to_small()

    steps["imports"] = measure_imports(files, env, args.floor_runs)
    if args.only == "imports":
        return
    steps["import_limits"] = measure_import_limits(tmp, dbs)

    say("rating run for all schools")
    rate = child("rate", [], env)
    rate["rows_per_s"] = round(rate["rows"] / rate["seconds"]) if rate["seconds"] else None
    rate["peak_memory_mb"] = rate.pop("maxrss_mb")
    rate["targets"] = {f"under_{RATING_SECONDS}_s": rate["seconds"] < RATING_SECONDS}
    rate["ok"] = all(rate["targets"].values())
    steps["rating_run"] = rate
    say(f"  {rate['schools_rated']:,} of {rate['rows']:,} schools rated in {rate['seconds']:.2f} s")

    say(f"pages by the Django test client ({args.requests} requests each)")
    big = child("pages", [args.requests], env)
    say("  " + ", ".join(f"{k} {v.get('median_ms')} ms/{v.get('queries')} q" for k, v in big["pages"].items()))

    say(f"small database ({args.small_schools} schools) for the query counts")
    small_tmp = tmp / "small-files"
    small_codes, small_files, _ = data.generate(small_tmp, args.small_schools, max(2, args.small_schools // 50),
                                                args.small_schools, years=years)
    small_env = child_env(dbs.url("small"), small_codes, tmp / "small-media")
    loaded = child("load", [p for _, p in small_files], small_env)
    if loaded["refused"]:
        raise StepFailed("small database: " + "; ".join(loaded["refused"]))
    child("rate", [], small_env)
    small = child("pages", [3], small_env)
    steps["pages"] = pages_result(big, small)

    steps["progress_report"] = measure_report(env)
    steps["bulletin"] = measure_bulletin(env, args.bulletin_subscribers)
    steps["search"] = measure_search(env, args)

    if not args.no_server:
        session = child("session", [], env)
        steps["server"] = measure_server(env, session, tmp, args.duration, args.users)
        say("  " + ", ".join(f"{k} {v.get('median_ms')} ms {v.get('requests_per_s')}/s"
                             for k, v in steps["server"]["pages"].items()))
    result["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]


def run_imports_only(args, tmp, dbs, result):
    run_all(args, tmp, dbs, result)
    result["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]


def measure_report(env):
    """PRODUCT.md: a progress report (HTML and PDF) for 22,000 schools in under 10 s."""
    say("progress report, HTML and PDF")
    report = child("report", [3], env)
    report["targets"] = {f"{fmt}_under_{REPORT_SECONDS}_s": report[fmt]["max_s"] < REPORT_SECONDS
                         for fmt in ("html", "pdf")}
    report["ok"] = all(report["targets"].values())
    say(f"  HTML {report['html']['median_s']} s, PDF {report['pdf']['median_s']} s (median of 3)")
    return report


def run_report_only(args, tmp, dbs, result):
    """`--only report`: the data loaded without timing each import, one rating run, then the report."""
    from bench import data

    steps = result["steps"]
    years = data.demo_performance.YEARS[-args.years:]
    la_codes, files, facts = data.generate(tmp / "files", args.schools, args.las, args.gias_rows, years=years)
    steps["generate"] = facts
    env = child_env(dbs.url("main"), la_codes, tmp / "media")
    dbs.create_main()
    child("migrate", [], env)
    say("loading the files (not timed here)")
    loaded = child("load", [p for _, p in files], env, timeout=3600)
    if loaded["refused"]:
        raise StepFailed("; ".join(loaded["refused"]))
    rate = child("rate", [], env)
    steps["rating_run"] = {"seconds": rate["seconds"], "schools_rated": rate["schools_rated"]}
    steps["progress_report"] = measure_report(env)


def measure_bulletin(env, subscribers):
    say(f"a bulletin to {subscribers:,} subscribers")
    step = child("bulletin", [subscribers], {**env, "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"})
    recorded = sum(step["results"].values())
    step["targets"] = {
        f"queued_under_{BULLETIN_QUEUE_SECONDS}_s": step["queue_s"] < BULLETIN_QUEUE_SECONDS,
        "every_result_recorded": recorded == subscribers and step["results"].get("sent") == recorded,
    }
    step["ok"] = all(step["targets"].values())
    say(f"  queued in {step['queue_s']:.2f} s ({step['batches']} batches); sent and recorded in "
        f"{step['send_and_record_s']:.1f} s: {step['results']}")
    return step


def run_bulletin_only(args, tmp, dbs, result):
    env = child_env(dbs.url("main"), ["899"], tmp / "media")
    dbs.create_main()
    result["steps"]["migrate"] = child("migrate", [], env)
    result["steps"]["bulletin"] = measure_bulletin(env, args.bulletin_subscribers)


def measure_search(env, args):
    say(f"search: {args.meetings:,} meetings and {args.news:,} news posts beside the schools, index built, "
        f"/search/ x{args.requests} per query")
    found = child("search", [args.meetings, args.news, args.requests], env, timeout=1800)
    found["targets"] = {f"median_under_{found['target_median_ms']}_ms": found["ok"]}
    say(f"  {found['documents']:,} documents (rebuilt in {found['index_rebuild_s']} s): median {found['median_ms']} ms, "
        f"p95 {found['p95_ms']} ms; news: {found['news_public']} public of {found['news_posts']}")
    return found


def run_search_only(args, tmp, dbs, result):
    """`--only search`: the register (GIAS files at the given scale, through the real import), then search."""
    from schools import demo_generator

    say(f"generating the register only: {args.schools:,} schools in {args.las} LAs")
    data = demo_generator.national(n_schools=args.schools, n_las=args.las, seed=2024)
    # As bench.data.generate does: predecessor links, so the links file has rows like the national one.
    demo_generator._add_predecessors(demo_generator._Maker(2025), data, count=max(1, args.schools // 50))
    gias = demo_generator.write_all(data, tmp / "files" / "gias")
    env = child_env(dbs.url("main"), data.la_codes, tmp / "media")
    dbs.create_main()
    result["steps"]["migrate"] = child("migrate", [], env)
    loaded = child("load", [str(p) for p in gias.values()], env, timeout=1800)
    if loaded["refused"]:
        raise StepFailed("register: " + "; ".join(loaded["refused"]))
    say(f"  register imported in {loaded['seconds']:.1f} s")
    result["steps"]["search"] = measure_search(env, args)


def pages_result(big, small):
    pages = {}
    for name, page in big["pages"].items():
        other = small["pages"].get(name, {})
        page = dict(page)
        page["queries_small_db"] = other.get("queries")
        # Flat: no more queries with 22,000 schools than with a few hundred (the same kind of school).
        page["queries_flat"] = (page.get("queries") is not None and other.get("queries") is not None
                                and page["queries"] <= other["queries"])
        page["targets"] = {
            f"median_under_{page.get('target_median_ms')}_ms": bool(page.get("ok")),
            "queries_flat": page["queries_flat"],
            "scripts_under_1_5_mb": page.get("script_bytes", 0) <= SCRIPT_BYTES_TARGET,
        }
        page["ok"] = all(page["targets"].values())
        pages[name] = page
    return {"schools": big["schools"], "schools_small_db": small["schools"], "requests_per_page": big["requests_per_page"],
            "startup_s": big["startup_s"], "peak_memory_mb": big["maxrss_mb"], "pages": pages}


def summarise(result):
    steps = result["steps"]
    targets = {}
    for entry in steps.get("imports", []):
        for key, ok in entry["targets"].items():
            targets[f"import {entry['file']}: {key}"] = ok
    if "rating_run" in steps and "ok" in steps["rating_run"]:
        targets[f"rating run under {RATING_SECONDS} s"] = steps["rating_run"]["ok"]
    for key, ok in steps.get("progress_report", {}).get("targets", {}).items():
        targets[f"progress report: {key}"] = ok
    if "search" in steps:
        targets[f"search median under {steps['search']['target_median_ms']} ms"] = steps["search"]["ok"]
    for name, page in steps.get("pages", {}).get("pages", {}).items():
        for key, ok in page["targets"].items():
            targets[f"page {name}: {key}"] = ok
    for key, ok in steps.get("bulletin", {}).get("targets", {}).items():
        targets[f"bulletin: {key}"] = ok
    for key, ok in steps.get("import_limits", {}).get("targets", {}).items():
        targets[f"import limits: {key}"] = ok
    imports = steps.get("imports", [])
    national = [e for e in imports if e["kind"] in IMPORT_SECONDS]
    summary = {
        "database": result["database"],
        "schools": result["scale"]["schools"],
        "imports": {e["file"]: {"seconds": e["seconds"], "floor_s": e["floor_s"], "ratio": e["ratio"],
                                "ratio_same_startup": e["ratio_same_startup"],
                                "rows_per_s": e["rows_per_s"], "peak_memory_mb": e["peak_memory_mb"], "ok": e["ok"]}
                    for e in imports},
        "worst_national_import_ratio": max((e["ratio"] for e in national), default=None),
        "worst_import_ratio_any_file": max((e["ratio"] for e in imports), default=None),
        "slowest_national_import_s": max((e["seconds"] for e in national), default=None),
        "rating_run_s": steps.get("rating_run", {}).get("seconds"),
        "progress_report_s": {fmt: steps.get("progress_report", {}).get(fmt, {}).get("median_s")
                              for fmt in ("html", "pdf")},
        "search_median_ms": steps.get("search", {}).get("median_ms"),
        "pages_median_ms": {k: v.get("median_ms") for k, v in steps.get("pages", {}).get("pages", {}).items()},
        "pages_queries": {k: [v.get("queries"), v.get("queries_small_db")]
                          for k, v in steps.get("pages", {}).get("pages", {}).items()},
        "bulletin_queue_s": steps.get("bulletin", {}).get("queue_s"),
        "bulletin_send_and_record_s": steps.get("bulletin", {}).get("send_and_record_s"),
        "max_script_bytes": max((v.get("script_bytes", 0) for v in steps.get("pages", {}).get("pages", {}).values()),
                                default=None),
        "targets_met": sum(1 for ok in targets.values() if ok),
        "targets_total": len(targets),
        "targets_missed": sorted(k for k, ok in targets.items() if not ok),
        "all_targets_met": bool(targets) and all(targets.values()) and not result["errors"],
        "errors": len(result["errors"]),
        "total_seconds": result.get("total_seconds"),
    }
    if "server" in steps:
        server = steps["server"]
        summary["server"] = {
            "requests_per_s": server["requests_per_s"], "failures": server["failures_total"],
            "median_ms": {k: v.get("median_ms") for k, v in server["pages"].items()},
            "p95_ms": {k: v.get("p95_ms") for k, v in server["pages"].items()},
            "load_generator_share_of_machine": server["load_generator_share_of_machine"],
        }
    return summary


if __name__ == "__main__":
    sys.exit(main())
