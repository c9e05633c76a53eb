"""Pages of the bench: who signs in, which URLs, and what each page costs (needs django.setup())."""

import re
import statistics
import time
from pathlib import Path

OFFICER_EMAIL = "bench.officer@example.org"
PAGE_BUDGET_S = 20  # per page: stop repeating a page after this long (at least 3 requests)

# (name, URL pattern, signed in as an LA officer, target median in ms)
PAGES = [
    ("public_home", "/", False, 100),
    ("school_directory", "/schools/", False, 100),
    ("school_page", "/schools/{urn}/", False, 100),
    ("dashboard_overview", "/dashboard/", True, 300),
    ("dashboard_school_list", "/dashboard/schools/", True, 300),
    ("school_dashboard", "/dashboard/schools/{urn}/", True, 150),
]


def officer():
    """An LA officer with TOTP set up, as the portal requires before any private page."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth.models import Group, User

    user, created = User.objects.get_or_create(username=OFFICER_EMAIL, defaults={"email": OFFICER_EMAIL})
    if created:
        user.set_unusable_password()
        user.save()
        user.groups.set(Group.objects.filter(name="LA officer"))
        EmailAddress.objects.create(user=user, email=OFFICER_EMAIL, primary=True, verified=True)
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())
    return user


def signed_in_client(user):
    """A test client holding the session a password + TOTP login leaves (as the tests' sign_in does)."""
    from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
    from django.test import Client

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time(), "email": user.email},
        {"method": "mfa", "at": time.time(), "type": "totp"},
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    return client


def sample_school():
    """A priority 1 secondary school in a trust, with no predecessor links, in the middle of the URN range.

    The same kind of school in the big and the small database, so their query counts compare like with
    like (a school with links or without a trust runs a query more or fewer, whatever the scale)."""
    from dashboard.models import CurrentRun, SchoolRating
    from schools.models import School, SchoolLink

    run = CurrentRun.get()
    base = School.objects.partnership().open()
    candidates = [
        base.filter(phase="secondary", trust_links__left_on=None).exclude(
            urn__in=SchoolLink.objects.values("urn")),
        base.filter(phase="secondary"),
        base,
    ]
    for qs in candidates:
        if run is not None:
            # Priority 1 where there is one: the fullest dashboard (support plan, visits), in both databases.
            rated = SchoolRating.objects.filter(run=run).exclude(priority="")
            first = qs.filter(id__in=rated.filter(priority="1").values("school_id"))
            qs = first if first.exists() else qs.filter(id__in=rated.values("school_id"))
        urns = list(qs.order_by("urn").values_list("urn", flat=True).distinct())
        if urns:
            return urns[len(urns) // 2]
    return 0


def urls():
    urn = sample_school()
    return urn, [(name, pattern.format(urn=urn), private, target) for name, pattern, private, target in PAGES]


def server_session():
    """For the load test: a session cookie of the signed-in officer and the URLs (the server reads the same database)."""
    from django.conf import settings

    client = signed_in_client(officer())
    urn, pages = urls()
    return {"cookie_name": settings.SESSION_COOKIE_NAME, "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "urn": urn, "pages": [{"name": n, "url": u, "private": p, "target_ms": t} for n, u, p, t in pages]}


def percentile(values, q):
    ordered = sorted(values)
    if not ordered:
        return None
    k = (len(ordered) - 1) * q
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def measure(n):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from schools.models import School

    user = officer()
    public, private = Client(), signed_in_client(user)
    urn, pages = urls()
    out = {"schools": School.objects.partnership().count(), "urn": urn, "requests_per_page": n, "pages": {}}

    for name, url, is_private, target in pages:
        client = private if is_private else public
        first = client.get(url)  # warm-up: template loading and any per-process cache
        if first.status_code != 200:
            out["pages"][name] = {"url": url, "status": first.status_code, "ok": False}
            continue
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        n_queries = len(queries)  # now: the log is reset by the next request
        times = []
        budget = time.perf_counter() + PAGE_BUDGET_S
        for _ in range(n):
            t = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - t) * 1000)
            if len(times) >= 3 and time.perf_counter() > budget:
                break  # a page seconds slow is measured a few times only, so the bench still ends
        html = response.content.decode("utf-8", "replace")
        scripts = script_bytes(html)
        median = statistics.median(times)
        out["pages"][name] = {
            "url": url, "status": response.status_code, "html_bytes": len(response.content),
            "queries": n_queries, "median_ms": round(median, 1), "p95_ms": round(percentile(times, 0.95), 1),
            "min_ms": round(min(times), 1), "requests": len(times), "target_median_ms": target, "ok": median < target,
            "scripts": scripts, "script_bytes": sum(s["bytes"] for s in scripts),
        }
    return out


SCRIPT_SRC = re.compile(r"<script\b[^>]*\bsrc=\"([^\"]+)\"[^>]*>", re.IGNORECASE)
MODULE_IMPORT = re.compile(r"""(?:\bimport\s*(?:[\w*{}\s,]+from\s*)?|\bimport\s*\()\s*["']([^"']+)["']""")


def script_bytes(html):
    """Every script the page loads: <script src> files plus the ES modules they import, with sizes."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    seen, out = set(), []

    def add(url, module):
        path = url.split("?", 1)[0].split("#", 1)[0]
        if path in seen or not path.startswith(settings.STATIC_URL):
            if not path.startswith(settings.STATIC_URL) and path not in seen:
                seen.add(path)
                out.append({"src": url, "bytes": 0, "note": "not a static file"})
            return
        seen.add(path)
        found = finders.find(path[len(settings.STATIC_URL):])
        if not found:
            out.append({"src": path, "bytes": 0, "note": "not found"})
            return
        data = Path(found).read_bytes()
        out.append({"src": path, "bytes": len(data)})
        if module:
            base = path.rsplit("/", 1)[0]
            for spec in MODULE_IMPORT.findall(data.decode("utf-8", "replace")):
                if spec.startswith("./") or spec.startswith("../"):
                    add(_join(base, spec), True)
                elif spec.startswith("/"):
                    add(spec, True)

    for match in SCRIPT_SRC.finditer(html):
        tag = match.group(0)
        add(match.group(1), 'type="module"' in tag)
    return out


def _join(base, spec):
    parts = base.split("/")
    for piece in spec.split("/"):
        if piece == "..":
            parts.pop()
        elif piece not in (".", ""):
            parts.append(piece)
    return "/".join(parts)
