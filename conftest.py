"""Personas and the shared world every app's tests build on.

Personas: anonymous, school leader (of school A), trust leader, subgroup chair (of subgroup X),
LA officer, partnership admin. Officers and admins have TOTP set up, as the portal requires.
"""

import os
from types import SimpleNamespace

import pytest

PERSONAS = ("anonymous", "school_leader", "trust_leader", "chair", "officer", "admin")

PERSONA_ROLES = {
    "school_leader": ["School leader"],
    "trust_leader": ["Trust leader"],
    "chair": ["Subgroup chair", "School leader"],
    "officer": ["LA officer"],
    "admin": ["Partnership admin"],
}

PASSWORD = "correct-horse-battery-staple-42"


def make_user(email, roles=(), *, staff=False, superuser=False, totp=False, first_name="", last_name=""):
    from allauth.account.models import EmailAddress
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(
        username=email, email=email, password=PASSWORD, first_name=first_name, last_name=last_name,
        is_staff=staff or superuser, is_superuser=superuser,
    )
    if roles:
        user.groups.set(Group.objects.filter(name__in=roles))
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    if totp:
        from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

        TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def personas(db):
    users = SimpleNamespace(anonymous=None)
    for name, roles in PERSONA_ROLES.items():
        users.__dict__[name] = make_user(
            f"{name.replace('_', '.')}@example.org",
            roles,
            staff=name == "admin",
            totp=name in ("officer", "admin"),
            first_name=name.replace("_", " ").title(),
        )
    return users


def sign_in(client, user, reauthenticated=False):
    """force_login plus the record allauth keeps of a password login.

    reauthenticated=True also records a recent password re-entry, which allauth asks for before
    two-factor settings change (the accessibility sweep uses it to reach those pages)."""
    import time

    from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY

    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time(), "email": user.email, **({"reauthenticated": True} if reauthenticated else {})}
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    return client


@pytest.fixture
def client_for(client, personas):
    """client_for("officer") -> a test client signed in as that persona (anonymous: signed out)."""
    from django.test import Client

    def make(persona):
        c = Client()
        user = getattr(personas, persona)
        if user is not None:
            sign_in(c, user)
        return c

    return make


SEEDED_APPS = ("pep_portal", "schools", "dashboard", "governance", "strategy", "communications", "events")


def reseed_reference_data():
    """Re-run the portal's data migrations (role groups, measures, default rule set, beat schedule).

    A transactional test ends by flushing every table, which also removes what data migrations
    created; the next transactional test gets it back from here. Each function is run in its own
    savepoint, so one that finds its rows already there changes nothing."""
    from django.apps import apps
    from django.db import IntegrityError, connection, transaction
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations import RunPython

    loader = MigrationLoader(connection, ignore_no_migrations=True)
    for key in _in_migration_order(loader.graph):
        if key[0] not in SEEDED_APPS:
            continue
        for operation in loader.graph.nodes[key].operations:
            if isinstance(operation, RunPython):
                try:
                    with transaction.atomic():
                        operation.code(apps, None)
                except IntegrityError:
                    pass


def _in_migration_order(graph):
    """Every migration after those it depends on (the rule sets need the measures first)."""
    seen = {}
    for leaf in sorted(graph.leaf_nodes()):
        seen.update(dict.fromkeys(graph.forwards_plan(leaf)))
    return list(seen)


@pytest.fixture(autouse=True)
def _reseed_for_transactional_tests(request, django_db_blocker):
    marker = request.node.get_closest_marker("django_db")
    if not ((marker and marker.kwargs.get("transaction")) or "live_server" in request.fixturenames):
        yield
        return
    request.getfixturevalue("transactional_db")
    with django_db_blocker.unblock():
        reseed_reference_data()
    yield


@pytest.fixture(autouse=True, scope="session")
def _snapshot_restores_content_types():
    """A transactional test without serialized_rollback ends with a flush that makes the content types
    afresh, with new ids. A later serialized_rollback test then restores the snapshot's content types
    under their first ids and clashes on (app_label, model). The snapshot holds every content type and
    what hangs on them (permissions, the groups' permissions), so they are cleared before it is restored."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.backends.base.creation import BaseDatabaseCreation

    restore = BaseDatabaseCreation.deserialize_db_from_string

    def clear_then_restore(creation, data):
        ContentType.objects.using(creation.connection.alias).all().delete()
        ContentType.objects.clear_cache()
        restore(creation, data)
        ContentType.objects.clear_cache()

    BaseDatabaseCreation.deserialize_db_from_string = clear_then_restore
    yield
    BaseDatabaseCreation.deserialize_db_from_string = restore


@pytest.fixture(autouse=True)
def _eager_tasks_unless_services(request):
    """Tests run tasks in-process, except those marked `services`, which use a real worker."""
    if request.node.get_closest_marker("services"):
        yield
        return
    from pep_portal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _clean_cache():
    # Rate-limit counters and cached pages must not leak from one test into the next.
    from django.core.cache import cache

    try:
        cache.clear()
    except Exception:  # noqa: BLE001 - the database cache table may not exist outside db tests
        pass
    yield


def services_required():
    """On the CI pass with real services, a missing service is a failure, never a skip."""
    return os.environ.get("PEP_SERVICES") == "required"


def missing_services():
    """What tests marked `services` need that this run is not configured with: PostgreSQL (which a
    worker process can share, unlike SQLite's test database) and a Redis broker for the workers."""
    from django.conf import settings

    missing = []
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        missing.append("PostgreSQL")
    if not settings.CELERY_BROKER_URL:
        missing.append("Redis")
    return missing


def pytest_collection_modifyitems(config, items):
    """A fresh clone's `make test` has no services: their tests are reported as not run, not as errors.
    With PEP_SERVICES=required (the CI pass) they run, and a missing service fails them."""
    missing = missing_services()
    if not missing or services_required():
        return
    skip = pytest.mark.skip(reason=f"not run: no {'/'.join(missing)} configured")
    for item in items:
        if item.get_closest_marker("services"):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _services_present(request):
    if request.node.get_closest_marker("services") and (missing := missing_services()):
        pytest.fail(f"PEP_SERVICES=required, but no {'/'.join(missing)} is configured "
                    "(DATABASE_URL=postgres://..., CELERY_BROKER_URL=redis://...)")


@pytest.fixture
def celery_worker_process(settings):
    """A real Celery worker on the configured broker, seeing the test database; stopped afterwards."""
    import signal
    import subprocess
    import sys
    import time

    from django.db import connection

    if not settings.CELERY_BROKER_URL:
        pytest.fail("this test needs CELERY_BROKER_URL (a real Redis); the PostgreSQL CI pass sets it")
    db = connection.settings_dict
    env = dict(os.environ)
    if db["ENGINE"].endswith("postgresql"):
        env["DATABASE_URL"] = (
            f"postgres://{db['USER'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        )
    procs = []

    def start(broker_url=None, extra_env=None, pool="solo"):
        # The tests' own worker (refresh/tests/worker.py): the portal's worker, with the refresh's
        # watchdog at worker start off unless PEP_REFRESH_WATCHDOG_AT_START="1" (it would start a
        # refresh in the test database), and the faults a refresh test asks for in extra_env.
        run_env = {**env, **(extra_env or {})}
        if broker_url:
            run_env["CELERY_BROKER_URL"] = broker_url
        proc = subprocess.Popen(
            # pool="prefork" (one child) lets a test kill the child that runs a task, as an OOM kill would.
            [sys.executable, "-m", "refresh.tests.worker", "worker", f"--pool={pool}", "--concurrency=1",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO"],
            env=run_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
            cwd=os.path.dirname(os.path.abspath(__file__)),
        )
        procs.append(proc)
        deadline = time.monotonic() + 30
        for line in proc.stdout:
            if "ready." in line:
                return proc
            if time.monotonic() > deadline or proc.poll() is not None:
                break
        proc.kill()
        pytest.fail("the Celery worker did not start within 30 s")

    yield start
    for proc in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
