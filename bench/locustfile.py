"""Load for the bench's gunicorn server (bench/run.py starts both; 127.0.0.1 only).

Each user requests the six measured pages in turn with no think time (a closed loop): public pages
signed out, dashboard pages with the session cookie of an LA officer who has TOTP set up. The pages
and cookie come from the environment: BENCH_PAGES (JSON list of {name, url, private}),
BENCH_COOKIE_NAME, BENCH_SESSION.
"""

import json
import os
from urllib.parse import urlsplit

from locust import HttpUser, constant, task

PAGES = json.loads(os.environ.get("BENCH_PAGES", "[]"))
COOKIE_NAME = os.environ.get("BENCH_COOKIE_NAME", "sessionid")
SESSION = os.environ.get("BENCH_SESSION", "")


class PortalUser(HttpUser):
    wait_time = constant(0)

    def on_start(self):
        if urlsplit(self.host).hostname not in ("127.0.0.1", "localhost"):
            raise RuntimeError("the bench only loads a server on 127.0.0.1")
        self.turn = 0

    @task
    def next_page(self):
        page = PAGES[self.turn % len(PAGES)]
        self.turn += 1
        cookies = {COOKIE_NAME: SESSION} if page["private"] else None
        with self.client.get(page["url"], name=page["name"], cookies=cookies, allow_redirects=False,
                             catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
