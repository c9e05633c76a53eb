"""The bench's databases and child processes: each step runs in its own process (bench/child.py), so
Django start-up is inside what is timed."""

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
CHILD = str(ROOT / "bench" / "child.py")


def say(text):
    print(f"[bench {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


# -------------------------------------------------------------------------------------- databases
class Databases:
    """The bench's own databases: `main` (England scale) and `small` (the query-count comparison)."""

    def __init__(self, tmp):
        self.tmp = Path(tmp)
        base = os.environ.get("DATABASE_URL", "").strip()
        self.engine = "postgresql" if base.startswith(("postgres://", "postgresql://")) else "sqlite"
        self.base = base
        self.created = []
        if self.engine == "postgresql":
            tag = os.getpid()
            self.names = {"main": f"pep_bench_{tag}", "small": f"pep_bench_small_{tag}"}

    def url(self, which):
        if self.engine == "sqlite":
            return f"sqlite:///{self.tmp / f'{which}.sqlite3'}"
        parts = urlsplit(self.base)
        return urlunsplit((parts.scheme, parts.netloc, "/" + self.names[which], parts.query, ""))

    def _admin(self, sql):
        """Run statements on the server's maintenance database given in DATABASE_URL (CREATE/DROP DATABASE
        cannot run in a transaction, and psycopg2's `with connection` opens one even in autocommit)."""
        import psycopg2

        conn = psycopg2.connect(self.base)
        conn.autocommit = True
        try:
            with conn.cursor() as cur:
                rows = []
                for statement in sql:
                    cur.execute(statement)
                    rows = cur.fetchall() if cur.description else []
                return rows
        finally:
            conn.close()

    def create_main(self):
        if self.engine == "postgresql":
            self._admin([f'CREATE DATABASE "{self.names["main"]}"'])
            self.created.append(self.names["main"])

    def clone_main_to_small(self):
        """Right after migrate: the small database starts from the same migrated schema."""
        if self.engine == "sqlite":
            shutil.copyfile(self.tmp / "main.sqlite3", self.tmp / "small.sqlite3")
        else:
            self._admin([f'CREATE DATABASE "{self.names["small"]}" TEMPLATE "{self.names["main"]}"'])
            self.created.append(self.names["small"])

    def drop(self):
        if self.engine != "postgresql":
            return
        self._admin([f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)' for name in self.created])
        self.created = []


def server_version(dbs):
    if dbs.engine == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    return f"PostgreSQL {dbs._admin(['SHOW server_version'])[0][0]}"


# ----------------------------------------------------------------------------------------- children
class StepFailed(Exception):
    pass


def child_env(db_url, la_codes, media):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL")}
    env.update({
        "DJANGO_SETTINGS_MODULE": "pep_portal.settings",
        "DATABASE_URL": db_url,
        "PARTNERSHIP_LA_CODES": ",".join(la_codes),
        "MEDIA_ROOT": str(media),
        "DEBUG": "false",
        "HTTPS": "false",
        "STATIC_MANIFEST": "false",  # no collectstatic in a fresh clone: static files served from the finders
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "LOG_LEVEL": "WARNING",
        "SECRET_KEY": "bench-only-not-a-secret",
        "PYTHONHASHSEED": "0",
    })
    return env


def child(step, args, env, timeout=900):
    started = time.perf_counter()
    proc = subprocess.run([PY, CHILD, step, *map(str, args)], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, check=False)
    wall = time.perf_counter() - started
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-15:]
        raise StepFailed(f"{step} {' '.join(map(str, args))} exited {proc.returncode}: " + " | ".join(tail))
    result = json.loads(lines[-1])
    result["wall_s"] = round(wall, 3)
    return result
