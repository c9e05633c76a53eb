"""The first-run path a new partnership's admin takes, through the pages alone (no typed address
beyond the login page): sign in and set up two-factor, partnership settings, the register, trusts
and performance files in one upload, each confirmed in turn, run the ratings, the rated dashboard.

Used by test_first_run.py (against live_server) and, timed, against a real `runserver`."""

import base64
import hashlib
import hmac
import struct
import time
from pathlib import Path

from playwright.sync_api import expect

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
SURREY_FILES = [
    # Chosen in this (unhelpful) order on purpose: the portal sorts them, register first.
    "performance/dfe_ptables_2018-19_936_surrey_ks2final.csv",
    "performance/dfe_ptables_2018-19_936_surrey_ks4final.csv",
    "performance/dfe_ptables_2017-18_936_surrey_ks2final.csv",
    "performance/dfe_ptables_2017-18_936_surrey_ks4final.csv",
    "performance/dfe_ptables_2016-17_936_surrey_ks2final.csv",
    "performance/dfe_ptables_2016-17_936_surrey_ks4final.csv",
    "gias/gias_alllinksdata_group_links_20220331_pandas_roundtrip.csv",
    "gias/gias_allgroupsdata_20220331_pandas_roundtrip.csv",
    "gias/gias_extract_2021_surrey936_all_open_establishments.csv",
]


def totp_now(secret):
    """The current six-digit code for a base32 secret (RFC 6238, 30 s, SHA-1), as an app would show."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


class Steps:
    """Records each step's time and clicks, and optionally screenshots it."""

    def __init__(self, page, shots=None):
        self.page, self.shots, self.log, self.clicks = page, shots, [], 0
        self.started = self.mark = time.monotonic()

    def click(self, locator):
        self.clicks += 1
        locator.click()

    def done(self, name):
        now = time.monotonic()
        self.log.append((name, round(now - self.mark, 1), self.clicks))
        self.mark = now
        if self.shots is not None:
            self.page.screenshot(path=str(Path(self.shots) / f"first-run-{len(self.log):02d}-{name}.png"),
                                 full_page=True)

    @property
    def total(self):
        return round(time.monotonic() - self.started, 1)


def walk(page, base_url, email, password, *, la_code="936", name="Surrey Schools Partnership", shots=None,
         files=SURREY_FILES):
    s = Steps(page, shots)
    page.goto(f"{base_url}/accounts/login/")  # the one typed address
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    s.click(page.get_by_role("button", name="Sign in"))
    # An admin must set up two-factor authentication first: the code comes from the shown secret.
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill(totp_now(secret))
    s.click(page.get_by_role("button", name="Activate"))
    s.done("two-factor")
    s.click(page.get_by_role("link", name="Home", exact=True))
    expect(page.get_by_role("link", name="Set up the portal")).to_be_visible()
    s.done("empty-home")
    s.click(page.get_by_role("link", name="Set up the portal"))
    expect(page.locator("h1")).to_have_text("Set up the portal")
    s.done("set-up")

    s.click(page.get_by_role("link", name="Partnership settings"))
    page.get_by_label("Partnership name").fill(name)
    page.get_by_label("Local authority codes", exact=True).fill(la_code)
    s.click(page.get_by_role("button", name="Save settings"))
    expect(page.locator("#task-settings-status")).to_have_text("Done")
    s.done("settings")

    s.click(page.get_by_role("link", name="School register"))
    page.get_by_label("Files").set_input_files([str(DATA / f) for f in files])
    s.click(page.get_by_role("button", name="Check the files"))
    long = 300_000  # ms: a big GIAS file takes a while to check on a slow machine
    for position in range(1, len(files) + 1):
        expect(page.locator("main")).to_contain_text(f"File {position} of {len(files)} in this upload", timeout=long)
        s.click(page.get_by_role("button", name="Confirm and import"))
        if position == len(files):
            break
        # A small file leads straight to the next; a large one shows its result, then offers the next.
        following = page.get_by_text(f"File {position + 1} of {len(files)} in this upload")
        next_link = page.get_by_role("button", name="Check the next file")
        expect(following.or_(next_link)).to_be_visible(timeout=long)
        if next_link.is_visible():
            s.click(next_link)
    expect(page.locator("h1")).to_have_text("Imports", timeout=300_000)
    s.done("imports")

    s.click(page.get_by_role("link", name="Set-up"))
    expect(page.locator("#task-register-status")).to_have_text("Done")
    expect(page.locator("#task-performance-status")).to_have_text("Done")
    s.click(page.get_by_role("button", name="Run the ratings now"))
    dashboard_link = page.get_by_role("button", name="See the ratings on the dashboard")
    expect(dashboard_link).to_be_visible(timeout=600_000)
    s.done("ratings-run")
    s.click(dashboard_link)
    expect(page.locator("h1")).to_have_text("Performance dashboard")
    expect(page.get_by_role("table", name="Schools by computed priority")).to_be_visible()
    s.done("dashboard")
    return s
