"""The bench's load test: gunicorn with two workers, locust from a second process, CPU and latency read back."""

import csv
import json
import os
import resource
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from bench.procs import PY, ROOT, StepFailed, say


# ------------------------------------------------------------------------------------------- server
def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - 127.0.0.1 only
                if response.status == 200:
                    return True
        except OSError:
            time.sleep(0.3)
    return False


def cpu_seconds(proc):
    """User + system CPU of a process and its children (gunicorn master and workers)."""
    import psutil

    total = 0.0
    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return total
    for p in procs:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.Error:
            pass
    return total


def measure_server(env, session, tmp, duration, users):
    import psutil

    port = free_port()
    host = f"http://127.0.0.1:{port}"
    gunicorn = str(Path(PY).parent / "gunicorn")
    locust = str(Path(PY).parent / "locust")
    say(f"server: gunicorn, 2 workers, on {host}")
    server = subprocess.Popen(
        [gunicorn, "pep_portal.wsgi:application", "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "--timeout", "60", "--graceful-timeout", "5", "--log-level", "warning"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=open(tmp / "gunicorn.log", "w"),  # noqa: SIM115
        start_new_session=True,
    )
    try:
        if not wait_for(f"{host}/healthz", 90):
            raise StepFailed("gunicorn did not answer /healthz within 90 s: " + (tmp / "gunicorn.log").read_text()[-800:])
        # One request per page first: each worker's templates are loaded before the clock starts.
        for page in session["pages"]:
            req = urllib.request.Request(host + page["url"])  # noqa: S310 - http://127.0.0.1 only
            if page["private"]:
                req.add_header("Cookie", f"{session['cookie_name']}={session['session']}")
            for _ in range(2):
                try:
                    with urllib.request.urlopen(req, timeout=60):  # noqa: S310 - 127.0.0.1 only
                        pass
                except OSError as exc:
                    log = (tmp / "gunicorn.log").read_text()[-1500:]
                    raise StepFailed(f"server: {page['url']}: {exc}; gunicorn log: {log}") from exc
        master = psutil.Process(server.pid)
        locust_env = {**env, "BENCH_PAGES": json.dumps(session["pages"]), "BENCH_COOKIE_NAME": session["cookie_name"],
                      "BENCH_SESSION": session["session"]}
        prefix = tmp / "locust"
        say(f"load: locust headless, {users} users, {duration} s, from a second process")
        server_cpu0 = cpu_seconds(master)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        load = subprocess.run(
            [locust, "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "-u", str(users), "-r", str(users),
             "-t", f"{duration}s", "-H", host, "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
             "--stop-timeout", "5", "--exit-code-on-error", "0"],
            env=locust_env, cwd=ROOT, capture_output=True, text=True, timeout=duration + 90, check=False,
        )
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        server_cpu = cpu_seconds(master) - server_cpu0
        if load.returncode != 0:
            raise StepFailed(f"locust exited {load.returncode}: {load.stderr[-800:]}")
        load_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        pages = read_locust(prefix, session["pages"])
    finally:
        stop(server)
    cores = os.cpu_count() or 1
    return {
        "workers": 2, "users": users, "duration_s": round(wall, 1), "host": host,
        "pages": pages,
        "requests_total": sum(p["requests"] for p in pages.values()),
        "failures_total": sum(p["failures"] for p in pages.values()),
        "requests_per_s": round(sum(p["requests_per_s"] for p in pages.values()), 1),
        # The load generator shares the cores with the server: compare runs, not absolute figures.
        "load_generator_cpu_s": round(load_cpu, 1),
        "server_cpu_s": round(server_cpu, 1),
        "load_generator_share_of_machine": round(load_cpu / (wall * cores), 3),
        "load_generator_share_of_used_cpu": round(load_cpu / (load_cpu + server_cpu), 3) if load_cpu + server_cpu else None,
    }


def read_locust(prefix, pages):
    rows = {}
    with open(f"{prefix}_stats.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            rows[row["Name"]] = row
    out = {}
    for page in pages:
        row = rows.get(page["name"])
        if row is None:
            out[page["name"]] = {"requests": 0, "failures": 0, "requests_per_s": 0.0, "ok": False}
            continue
        median = float(row["Median Response Time"] or 0)
        out[page["name"]] = {
            "url": page["url"], "requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
            "median_ms": median, "p95_ms": float(row["95%"] or 0), "requests_per_s": round(float(row["Requests/s"]), 2),
            "target_median_ms": page["target_ms"], "ok": median < page["target_ms"] and int(row["Failure Count"]) == 0,
        }
    return out


def stop(proc):
    """Stop a process group this bench started (gunicorn: master and workers), by its id."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)
    except ProcessLookupError:
        pass
