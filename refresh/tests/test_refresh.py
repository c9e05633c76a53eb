"""The nightly refresh without a broker (tasks eager): lock, duplicates, failure, email, watchdog, pages.

The same functions run in the real worker in test_refresh_faults.py (marked services).
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from dashboard.models import CurrentRun, RatingRun, SchoolRating
from dashboard.tests import factories as f
from refresh import api, locks, running, schedule, tasks
from refresh.models import RefreshLock, RefreshRun

from . import faults

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
Status = RefreshRun.Status


def london(*args):
    return dt.datetime(*args, tzinfo=LONDON)


@pytest.fixture
def schools():
    return f.three_priorities()


@pytest.fixture
def officers():
    return [
        make_user("officer.one@example.org", ["LA officer"], first_name="Olu"),
        make_user("officer.two@example.org", ["LA officer"]),
        make_user("leader@example.org", ["School leader"]),
    ]


def current_ratings():
    return dict(SchoolRating.objects.current().values_list("school__name", "priority"))


def test_it_rates_every_school_and_records_a_finished_run(schools):
    row = running.perform(trigger=running.Trigger.COMMAND)
    assert row.status == Status.DONE, row.error
    assert row.rating_run == CurrentRun.get()
    assert (row.schools_rated, row.priorities_changed, row.attempts) == (3, 0, 1)
    assert row.started_at <= row.finished_at and row.step == "Finished"
    assert current_ratings() == {"Red Lane Primary": "1", "Amber Road Primary": "2", "Green Park Primary": "3"}


def test_it_emails_la_officers_the_schools_whose_priority_changed(schools, officers):
    p1, p2, p3 = schools
    running.perform()
    assert mail.outbox == []  # a first run changes nothing
    f.values(p3, 2018, ks2_rwm_exp=40.0, ks2_read_prog=-3.0, ks2_writ_prog=-3.0)  # P3 -> P1
    row = running.perform()
    assert row.status == Status.DONE and row.priorities_changed == 1 and row.emails_sent == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["officer.one@example.org", "officer.two@example.org"]
    message = mail.outbox[0]
    assert "1 school changed priority" in message.subject
    assert f"Green Park Primary (URN {p3.urn}): Priority 3 -> Priority 1" in message.body
    assert "Red Lane Primary" not in message.body  # unchanged schools are not listed
    mail.outbox.clear()
    assert running.perform().emails_sent == 0 and mail.outbox == []  # nothing changed since


def test_it_skips_a_second_run_while_one_is_running(schools):
    before = RatingRun.objects.count()
    with locks.refresh_lock() as got:
        assert got
        row = running.perform(key="nightly:2026-11-22", trigger=running.Trigger.NIGHTLY)
    assert row.status == Status.SKIPPED and row.error.startswith("Skipped: already running")
    assert RatingRun.objects.count() == before
    # Once the lock is free the same night runs.
    assert running.perform(key="nightly:2026-11-22", trigger=running.Trigger.NIGHTLY).status == Status.DONE


def test_it_skips_a_run_when_another_process_holds_the_lock(schools):
    if connection.vendor == "postgresql":
        import psycopg2

        db = connection.settings_dict
        other = psycopg2.connect(dbname=db["NAME"], user=db["USER"], host=db["HOST"] or "127.0.0.1",
                                 port=db["PORT"] or 5432, password=db["PASSWORD"] or None)
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [locks.ADVISORY_LOCK_KEY])
                assert cursor.fetchone()[0]
            assert running.perform().status == Status.SKIPPED
        finally:
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [locks.ADVISORY_LOCK_KEY])
            other.close()
    else:
        RefreshLock.objects.create(name=locks.LOCK_NAME, holder="another-worker", acquired_at=timezone.now())
        assert running.perform().status == Status.SKIPPED
        # A lock left by a worker killed past the hard time limit is taken over.
        RefreshLock.objects.update(acquired_at=timezone.now() - locks.lock_stale_after() - dt.timedelta(seconds=1))
    assert running.perform().status == Status.DONE


def test_it_records_the_same_run_delivered_twice_as_one_result(schools):
    first = tasks.nightly_refresh.delay("nightly:2026-11-22").get()
    second = tasks.nightly_refresh.delay("nightly:2026-11-22").get()
    assert first["status"] == "done" and second["status"] == "skipped"
    rows = RefreshRun.objects.filter(key="nightly:2026-11-22")
    assert sorted(rows.values_list("status", flat=True)) == ["done", "skipped"]
    assert rows.get(status="skipped").error.startswith(f"Skipped: already done (refresh {first['refresh']}")
    assert RatingRun.objects.filter(status="done").count() == 1


def test_it_fails_whole_when_one_schools_data_raises_and_names_the_school(schools, monkeypatch):
    p1, p2, p3 = schools
    good = running.perform()
    before = current_ratings()
    f.values(p1, 2018, ks2_rwm_exp=80.0)
    faults.fail_school(monkeypatch, p2.urn)
    row = running.perform()
    assert row.status == Status.FAILED
    assert "Amber Road Primary" in row.error or str(p2.urn) in row.error, row.error
    assert CurrentRun.get() == good.rating_run and current_ratings() == before
    assert RatingRun.objects.filter(status="failed").count() == 1
    assert not SchoolRating.objects.filter(run__status="failed").exists()  # nothing half-written


def test_it_retries_a_transient_error_and_keeps_one_entry(schools, monkeypatch):
    calls = []
    original = running.recompute_figures

    def flaky():
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("could not connect to server")
        return original()

    monkeypatch.setattr(running, "recompute_figures", flaky)
    with pytest.raises(OperationalError):
        running.perform(key="nightly:2026-11-21", trigger=running.Trigger.NIGHTLY)
    failed = RefreshRun.objects.get(key="nightly:2026-11-21")
    assert failed.status == Status.FAILED and "could not connect" in failed.error
    # Celery's retry delivers the same key again: the same entry finishes.
    row = running.perform(key="nightly:2026-11-21", trigger=running.Trigger.NIGHTLY)
    assert row.pk == failed.pk and row.status == Status.DONE and row.attempts == 2 and row.error == ""
    assert "Attempt 1 failed" in row.log


def test_it_resumes_a_run_whose_worker_died_without_rating_twice(schools):
    # What a killed worker leaves: its row "running", its rating run "running", the lock released.
    dead = RefreshRun.objects.create(key="nightly:2026-11-22", trigger="nightly", status=Status.RUNNING,
                                     started_at=timezone.now(), attempts=1, step="Rating schools")
    orphan = RatingRun.objects.create(rule_set_id=_live_rule_set_id(), year=2018)
    found, row = running.watchdog()
    assert found == "interrupted" and row.pk == dead.pk
    assert row.status == Status.DONE and row.attempts == 2 and "interrupted" in row.log
    orphan.refresh_from_db()
    assert orphan.status == "failed" and "Interrupted" in orphan.error
    assert RatingRun.objects.filter(status="done").count() == 1


def _live_rule_set_id():
    from dashboard.models import RuleSet

    return RuleSet.objects.live().first().pk


def test_it_knows_when_the_nightly_run_was_due():
    assert schedule.last_scheduled_time(london(2026, 11, 22, 1, 59)) == london(2026, 11, 21, 2, 0)
    assert schedule.last_scheduled_time(london(2026, 11, 22, 2, 0)) == london(2026, 11, 22, 2, 0)
    # Summer time: still 02:00 in London.
    assert schedule.last_scheduled_time(london(2026, 7, 1, 12, 0)) == london(2026, 7, 1, 2, 0)
    assert schedule.nightly_key(london(2026, 11, 22, 2, 3)) == "nightly:2026-11-22T02:00"
    assert schedule.nightly_key(london(2026, 11, 22, 1, 0)) == "nightly:2026-11-21T02:00"


def test_it_follows_the_schedule_edited_in_the_admin():
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    cron = CrontabSchedule.objects.create(minute="30", hour="23", timezone="Europe/London")
    PeriodicTask.objects.update_or_create(name=schedule.NIGHTLY_TASK_NAME, defaults={
        "task": "dashboard.tasks.nightly_refresh", "crontab": cron, "interval": None, "enabled": True})
    assert schedule.last_scheduled_time(london(2026, 11, 22, 10, 0)) == london(2026, 11, 21, 23, 30)
    assert schedule.nightly_key(london(2026, 11, 22, 10, 0)) == "nightly:2026-11-21T23:30"
    PeriodicTask.objects.filter(name=schedule.NIGHTLY_TASK_NAME).update(enabled=False)
    assert schedule.last_scheduled_time(london(2026, 11, 22, 10, 0)) is None
    assert schedule.missed_night(london(2026, 11, 22, 10, 0)) is None  # switched off is not missed


def test_the_watchdog_runs_a_missed_night_once(schools):
    now = timezone.now()
    due = schedule.last_scheduled_time(now)
    assert schedule.missed_night(due + dt.timedelta(minutes=5)) is None  # within the grace
    if now < due + schedule.GRACE:
        now = due + schedule.GRACE  # the test runs just after 02:00
    assert schedule.missed_night(now) == due
    found, row = running.watchdog(now=now)
    assert found == "missed" and row.status == Status.DONE and row.trigger == "watchdog"
    assert row.key == f"nightly:{due:%Y-%m-%dT%H:%M}"
    assert schedule.missed_night(now) is None
    assert running.watchdog(now=now) == ("nothing to do", None)
    # The beat's own delivery for that night, arriving late, is a duplicate.
    late = running.perform(key=row.key, trigger=running.Trigger.NIGHTLY)
    assert late.status == Status.SKIPPED and "already done" in late.error


def test_the_watchdog_does_nothing_while_a_run_holds_the_lock(schools):
    with locks.refresh_lock():
        assert running.watchdog() == ("busy", None)


def test_a_run_that_could_not_be_queued_is_recorded_and_run_when_the_queue_is_back(schools, monkeypatch, personas):
    from kombu.exceptions import OperationalError as BrokerError

    def broker_down(*args, **kwargs):
        raise BrokerError("Error 111 connecting to 127.0.0.1:6390. Connection refused.")

    before = current_ratings()
    monkeypatch.setattr(tasks.run_ratings_now, "apply_async", broker_down)
    row = api.request_run(personas.admin)
    assert row.status == Status.FAILED and row.pending
    assert row.error.startswith("The run could not be queued: the task queue did not answer")
    assert "Connection refused" in row.error and current_ratings() == before
    monkeypatch.undo()
    found, retry = running.watchdog()
    assert found == "pending" and retry.status == Status.DONE and "could not be queued" in retry.log
    row.refresh_from_db()
    assert not row.pending and row.status == Status.FAILED  # the error stays in the history


def test_the_command_runs_the_refresh_and_reports(schools, capsys):
    call_command("refresh_metrics")
    out = capsys.readouterr().out
    assert out.startswith("Refresh ") and "finished; 3 schools rated, 0 priorities changed" in out
    call_command("refresh_metrics", "--if-missed")
    assert "Watchdog:" in capsys.readouterr().out


def test_the_command_fails_with_the_error_when_there_is_nothing_to_rate():
    with pytest.raises(CommandError, match="No core measure has been imported"):
        call_command("refresh_metrics")
    assert RefreshRun.objects.get().status == Status.FAILED


def test_the_worker_settings_let_a_lost_run_be_delivered_again():
    from pep_portal.celery import app

    conf = app.conf
    assert conf.task_acks_late and conf.task_reject_on_worker_lost and conf.worker_prefetch_multiplier == 1
    assert conf.broker_transport_options["visibility_timeout"] > conf.task_time_limit > conf.task_soft_time_limit
    for task in (tasks.nightly_refresh, tasks.run_ratings_now, tasks.watchdog):
        assert task.acks_late and OperationalError in task.autoretry_for and task.retry_backoff


def test_the_schedule_is_in_the_database_at_two_in_the_morning_london_time():
    from django_celery_beat.models import PeriodicTask

    nightly = PeriodicTask.objects.get(name=schedule.NIGHTLY_TASK_NAME)
    assert nightly.task == "dashboard.tasks.nightly_refresh" and nightly.enabled
    assert (nightly.crontab.hour, nightly.crontab.minute, str(nightly.crontab.timezone)) == ("2", "0", "Europe/London")
    assert PeriodicTask.objects.get(name=schedule.WATCHDOG_TASK_NAME).task == "dashboard.tasks.watchdog"


# ----------------------------------------------------------------------------------------------- pages


def test_an_admin_runs_the_refresh_from_the_page_and_sees_it_finish(schools, client_for):
    admin = client_for("admin")
    page = admin.get(reverse("refresh:history"))
    assert page.status_code == 200 and b"Run the ratings now" in page.content
    assert b"The ratings have not been refreshed yet" in page.content
    response = admin.post(reverse("refresh:run"))
    row = RefreshRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("refresh:detail", args=[row.pk])
    detail = admin.get(response["Location"])
    assert b"Finished" in detail.content and b"Schools rated" in detail.content
    status = admin.get(reverse("refresh:status", args=[row.pk])).json()
    assert status["status"] == "done" and status["done"] and status["schools_rated"] == 3
    history = admin.get(reverse("refresh:history")).content.decode()
    assert "Ratings last refreshed" in history and f"Refresh {row.pk}" in history
    assert admin.get(reverse("refresh:run")).status_code == 405


def test_a_failed_run_shows_its_error(schools, client_for, monkeypatch):
    p1, p2, p3 = schools
    faults.fail_school(monkeypatch, p3.urn)
    admin = client_for("admin")
    response = admin.post(reverse("refresh:run"), follow=True)
    content = response.content.decode()
    assert "This refresh failed" in content and "corrupt value" in content
    assert "The latest refresh failed" in admin.get(reverse("refresh:history")).content.decode()


def test_a_queued_run_shows_its_progress_with_a_refresh_link(schools, client_for):
    admin = client_for("admin")
    row = RefreshRun.objects.create(key="user:x", trigger="user", status=Status.RUNNING, step="Rating schools",
                                    started_at=timezone.now())
    page = admin.get(reverse("refresh:history")).content.decode()
    assert "Refresh this page" in page and "Running: Rating schools." in page
    assert reverse("refresh:status", args=[row.pk]) in page and "refresh-progress.js" in page
    assert "Run the ratings now" not in page


@pytest.mark.parametrize("persona", ["school_leader", "trust_leader", "chair", "officer"])
def test_only_partnership_admins_see_the_refresh_pages(persona, client_for):
    row = RefreshRun.objects.create(key="user:y", trigger="user", status=Status.DONE)
    c = client_for(persona)
    for url in (reverse("refresh:history"), reverse("refresh:detail", args=[row.pk]),
                reverse("refresh:status", args=[row.pk])):
        assert c.get(url).status_code == 404
    assert c.post(reverse("refresh:run")).status_code == 404
    assert not RefreshRun.objects.exclude(pk=row.pk).exists()


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("refresh:history"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_last_run_include_says_when_the_ratings_were_last_refreshed(schools):
    from django.template import Context, Template

    template = Template("{% load refresh_tags %}{% last_refresh %}")
    assert "have not been refreshed yet" in template.render(Context({}))
    row = running.perform()
    text = template.render(Context({}))
    assert "Ratings last refreshed" in text and f"rating run {row.rating_run.pk}" in text


def test_an_error_inside_the_rating_engine_names_the_school_too(schools, monkeypatch):
    from dashboard import ratings

    p1, p2, p3 = schools
    original = ratings.rate_school

    def broken(rule_set, school, *args, **kwargs):
        if school.key == p3.pk:
            raise ZeroDivisionError("float division by zero")
        return original(rule_set, school, *args, **kwargs)

    monkeypatch.setattr(ratings, "rate_school", broken)
    row = running.perform()
    assert row.status == Status.FAILED
    assert row.error == f"RatingError: Green Park Primary (URN {p3.urn}): ZeroDivisionError: float division by zero"
    assert CurrentRun.get() is None  # nothing was ever switched


def test_a_run_interrupted_again_and_again_is_given_up_not_looped(schools):
    stuck = RefreshRun.objects.create(key="nightly:2026-11-22T02:00", trigger="nightly", status=Status.RUNNING,
                                      started_at=timezone.now(), attempts=running.MAX_ATTEMPTS)
    found, row = running.watchdog()
    assert found == "interrupted" and row.pk == stuck.pk and row.status == Status.FAILED
    assert row.error.startswith(f"Given up after {running.MAX_ATTEMPTS} attempts")
    assert CurrentRun.get() is None and running.watchdog()[0] != "interrupted"
    # The broker delivering the killed message once more does not start it again either.
    again = running.perform(key=stuck.key, trigger=running.Trigger.NIGHTLY)
    assert again.status == Status.SKIPPED and "given up" in again.error and RatingRun.objects.count() == 0


def test_it_refuses_a_rate_schools_by_hand_while_a_run_holds_the_lock(db):
    from django.core.management import CommandError, call_command

    from refresh.locks import refresh_lock

    with refresh_lock() as got:
        assert got
        with pytest.raises(CommandError, match="already in progress"):
            call_command("rate_schools")


def test_the_overview_says_when_the_ratings_were_last_refreshed(client_for):
    response = client_for("officer").get("/dashboard/")
    assert response.status_code == 200
    assert "The ratings have not been refreshed yet." in response.content.decode() or "Ratings " in response.content.decode()


def test_post_to_the_refresh_page_runs_the_ratings_now(schools, client_for):
    response = client_for("admin").post("/dashboard/refresh/")
    row = RefreshRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("refresh:detail", args=[row.pk])
    assert row.status == Status.DONE and row.schools_rated == 3
    assert "See the ratings on the dashboard" in client_for("admin").get(response["Location"]).content.decode()


def test_with_no_broker_no_page_says_a_run_waits_for_a_worker(schools, client_for, settings):
    settings.CELERY_BROKER_URL = ""
    RefreshRun.objects.create(key="nightly:old", trigger="nightly", status=Status.DONE,
                              finished_at=timezone.now() - dt.timedelta(days=5))
    admin = client_for("admin")
    for url in ("/dashboard/", "/dashboard/refresh/"):
        assert "when a worker is up" not in admin.get(url).content.decode()
    assert "No task queue is configured" in admin.get("/dashboard/refresh/").content.decode()


def test_with_a_broker_a_missed_night_is_still_reported(schools, client_for, settings, monkeypatch):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/15"
    # No grace: the test runs at any hour, the ten minutes after the nightly time included.
    monkeypatch.setattr(schedule, "GRACE", dt.timedelta(0))
    RefreshRun.objects.create(key="nightly:old", trigger="nightly", status=Status.DONE,
                              finished_at=timezone.now() - dt.timedelta(days=5))
    assert "when a worker is up" in client_for("admin").get("/dashboard/refresh/").content.decode()


def test_the_dashboard_offers_admins_the_run_now_button(schools, client_for):
    assert 'action="/dashboard/refresh/"' in client_for("admin").get("/dashboard/").content.decode()
    assert 'action="/dashboard/refresh/"' not in client_for("officer").get("/dashboard/").content.decode()


def test_in_process_run_without_a_broker_runs_in_a_thread_and_shows_progress(
        schools, client_for, settings, monkeypatch, django_capture_on_commit_callbacks):
    from types import SimpleNamespace

    from refresh import views as refresh_views

    threads = []
    monkeypatch.setattr(refresh_views.threading, "Thread",
                        lambda target, **kw: SimpleNamespace(start=lambda: threads.append(target)))
    monkeypatch.setattr(refresh_views, "connection", SimpleNamespace(close=lambda: None))
    settings.RATINGS_RUN_IN_THREAD = True
    admin = client_for("admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post("/dashboard/refresh/")
    row = RefreshRun.objects.get()
    assert row.status == Status.QUEUED and len(threads) == 1
    page = admin.get(response["Location"]).content.decode()
    assert "The ratings are running" in page and "refresh-progress.js" in page
    threads[0]()  # the thread's work: the run itself
    row.refresh_from_db()
    assert row.status == Status.DONE and row.schools_rated == 3
