"""The bulletin as subscribers and editors use it: subscribe, confirm, unsubscribe (one click and the
RFC 8058 headers), abuse limits, compose, preview, send now or later, results, retries, no duplicates."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from communications import sending
from communications.models import Bulletin, Delivery, NewsPost, Subscriber
from communications.tests import backends

pytestmark = pytest.mark.django_db


def link_in(message, pattern):
    return re.search(rf"https?://[^\s]+{pattern}[^\s]*/", message.body).group(0).split("8000", 1)[-1]


def subscribers(n, **kwargs):
    return Subscriber.objects.bulk_create(
        [Subscriber(email=f"s{i}@example.net", status=Subscriber.Status.ACTIVE, **kwargs) for i in range(n)]
    )


def test_double_opt_in_subscribes_only_after_the_link_is_followed_and_its_button_pressed(client):
    response = client.post("/bulletin/subscribe/", {"email": " Reader@Example.NET "})
    assert response["Location"] == "/bulletin/subscribe/check-your-email/"
    subscriber = Subscriber.objects.get(email="reader@example.net")
    assert subscriber.status == Subscriber.Status.PENDING
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["reader@example.net"]
    confirm = link_in(mail.outbox[0], "/bulletin/confirm/")
    assert "Confirm my subscription" in client.get(confirm).content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING  # a link scanner's GET subscribes nobody
    assert "You are subscribed" in client.post(confirm).content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE and subscriber.confirmed_at
    assert client.get("/bulletin/confirm/forged-token/").status_code == 404


def test_the_answer_and_the_email_are_the_same_whether_or_not_the_address_is_subscribed(client):
    Subscriber.objects.create(email="known@example.net", status=Subscriber.Status.ACTIVE)
    Subscriber.objects.create(email="gone@example.net", status=Subscriber.Status.UNSUBSCRIBED)
    answers = []
    for email in ("known@example.net", "new@example.net", "gone@example.net"):
        response = client.post("/bulletin/subscribe/", {"email": email}, follow=True)
        answers.append((response.status_code, response.redirect_chain, response.content.decode()))
    assert answers[0] == answers[1] == answers[2]
    assert [m.to[0] for m in mail.outbox] == ["known@example.net", "new@example.net", "gone@example.net"]
    bodies = {re.sub(r"/bulletin/confirm/\S+", "LINK", m.body) for m in mail.outbox}
    assert len(bodies) == 1 and len({m.subject for m in mail.outbox}) == 1
    assert Subscriber.objects.get(email="known@example.net").status == Subscriber.Status.ACTIVE


def test_the_honeypot_gets_the_same_answer_and_nothing_is_stored_or_sent(client):
    response = client.post("/bulletin/subscribe/", {"email": "bot@example.net", "website": "http://spam"})
    assert response["Location"] == "/bulletin/subscribe/check-your-email/"
    assert not Subscriber.objects.exists() and not mail.outbox


def test_a_bad_address_is_refused_with_a_message_on_the_field(client):
    html = client.post("/bulletin/subscribe/", {"email": "not-an-address"}).content.decode()
    assert "Enter an email address in the correct format" in html and 'href="#id_email"' in html
    assert not Subscriber.objects.exists()


def test_subscribing_is_rate_limited_per_client_and_per_address(client, settings):
    settings.SUBSCRIBE_RATE_PER_ADDRESS = 2
    settings.SUBSCRIBE_RATE_PER_CLIENT = 4
    statuses = [client.post("/bulletin/subscribe/", {"email": "flood@example.net"}).status_code for _ in range(5)]
    assert statuses == [302, 302, 302, 302, 429]
    assert len(mail.outbox) == 2  # one inbox is never flooded, and the answer stayed the same


def test_subscribing_still_works_when_the_cache_is_down(client, monkeypatch):
    from django.core.cache import cache

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "incr", down)
    monkeypatch.setattr(cache, "add", down)
    assert client.post("/bulletin/subscribe/", {"email": "a@example.net"}).status_code == 302
    assert len(mail.outbox) == 1


def test_a_bulletin_arrives_with_html_and_text_parts_and_working_unsubscribe_headers(admin_client_for):
    editor = admin_client_for
    subscribers(3)
    NewsPost.objects.create(title="Fair opens", slug="fair", summary="Come along.", body="B",
                            status=NewsPost.Status.PUBLISHED, published_at=timezone.now())
    form = editor.get("/bulletin/manage/new/").content.decode()
    assert "Fair opens" in form  # pre-filled from recent news
    response = editor.post("/bulletin/manage/new/", {"subject": "This week", "body": "Hello **all**.\n\n[Fair](http://127.0.0.1:8000/news/fair/)"})
    bulletin = Bulletin.objects.get()
    assert response["Location"] == f"/bulletin/manage/{bulletin.pk}/preview/"
    preview = editor.get(response["Location"]).content.decode()
    assert "<strong>all</strong>" in preview and "3 subscribers" in preview and "Hello **all**." in preview
    editor.post(f"/bulletin/manage/{bulletin.pk}/send/", {"when": "now"})
    editor.post(f"/bulletin/manage/{bulletin.pk}/send/", {"when": "now"})  # a double click sends once
    bulletin.refresh_from_db()
    assert bulletin.status == Bulletin.Status.SENT and bulletin.recipients == 3
    assert sorted(m.to[0] for m in mail.outbox) == ["s0@example.net", "s1@example.net", "s2@example.net"]
    message = mail.outbox[0]
    html, kind = message.alternatives[0]
    assert kind == "text/html" and "<strong>all</strong>" in html and "<img" not in html
    assert "Fair (http://127.0.0.1:8000/news/fair/)" in message.body
    header = message.extra_headers["List-Unsubscribe"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    raw = message.message()  # the MIME message as it goes over SMTP
    assert raw["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click" and raw["List-Unsubscribe"] == header
    assert [p.get_content_type() for p in raw.walk()] == ["multipart/alternative", "text/plain", "text/html"]
    url = header.strip("<>").split("8000", 1)[1]
    assert url in message.body and url in html
    # RFC 8058: the mail program POSTs with no cookie and no CSRF token.
    one_click = Client(enforce_csrf_checks=True).post(url, "List-Unsubscribe=One-Click",
                                                      content_type="application/x-www-form-urlencoded")
    assert one_click.status_code == 200
    assert Subscriber.objects.get(email=message.to[0]).status == Subscriber.Status.UNSUBSCRIBED
    assert set(Delivery.objects.values_list("state", flat=True)) == {Delivery.State.SENT}
    assert "<strong>all</strong>" in Client().get(f"/bulletin/{bulletin.pk}/").content.decode()


def test_the_unsubscribe_page_asks_before_a_browser_get_unsubscribes(client):
    subscriber = Subscriber.objects.create(email="a@example.net", status=Subscriber.Status.ACTIVE)
    page = client.get(f"/bulletin/unsubscribe/{subscriber.token}/").content.decode()
    assert "Unsubscribe" in page
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE
    assert "You have unsubscribed" in client.post(f"/bulletin/unsubscribe/{subscriber.token}/").content.decode()


def test_a_bulletin_can_be_scheduled_and_goes_out_when_its_time_comes(admin_client_for):
    subscribers(2)
    bulletin = Bulletin.objects.create(subject="Later", body="Body")
    tomorrow = timezone.localtime() + timezone.timedelta(days=1)
    admin_client_for.post(f"/bulletin/manage/{bulletin.pk}/send/",
                          {"when": "later", "date": tomorrow.date().isoformat(), "time": "08:00"})
    bulletin.refresh_from_db()
    assert bulletin.status == Bulletin.Status.SCHEDULED and not mail.outbox
    assert sending.send_due()["queued"] == []
    assert sending.send_due(now=bulletin.send_at + timezone.timedelta(minutes=1))["queued"] == [bulletin.pk]
    bulletin.refresh_from_db()
    assert bulletin.status == Bulletin.Status.SENT and len(mail.outbox) == 2


def test_a_time_in_the_past_is_refused(admin_client_for):
    bulletin = Bulletin.objects.create(subject="Later", body="Body")
    page = admin_client_for.post(f"/bulletin/manage/{bulletin.pk}/send/", {"when": "later", "date": "2020-01-01",
                                                                           "time": "08:00"})
    assert page.status_code == 400 and "The time to send must be in the future" in page.content.decode()


def test_a_temporary_failure_is_retried_and_a_permanent_one_recorded(settings, editor_client):
    settings.EMAIL_BACKEND = "communications.tests.backends.FlakyBackend"
    backends.FlakyBackend.failures = 1
    subscribers(3)
    bulletin = Bulletin.objects.create(subject="S", body="B")
    sending.queue(bulletin.pk)  # in-process: the retry waits for `send_bulletins` or the editor's button
    first = Delivery.objects.order_by("pk").first()
    assert first.state == Delivery.State.PENDING and "421" in first.error and first.attempts == 1
    report = editor_client.get(f"/bulletin/manage/{bulletin.pk}/report/").content.decode()
    assert "Waiting to be tried again" in report and "421" in report
    editor_client.post(f"/bulletin/manage/{bulletin.pk}/resume/")
    assert set(Delivery.objects.values_list("state", flat=True)) == {Delivery.State.SENT}
    assert Delivery.objects.get(pk=first.pk).attempts == 2
    bulletin.refresh_from_db()
    assert bulletin.status == Bulletin.Status.SENT and len(mail.outbox) == 3

    settings.EMAIL_BACKEND = "communications.tests.backends.RefusingBackend"
    Subscriber.objects.create(email="bounce@example.net", status=Subscriber.Status.ACTIVE)
    second = Bulletin.objects.create(subject="S2", body="B")
    sending.queue(second.pk)
    bounce = Delivery.objects.get(bulletin=second, email="bounce@example.net")
    assert bounce.state == Delivery.State.FAILED and "550" in bounce.error
    assert Delivery.objects.filter(bulletin=second, state=Delivery.State.SENT).count() == 3


def test_retries_stop_after_the_limit(settings):
    settings.EMAIL_BACKEND = "communications.tests.backends.FlakyBackend"
    settings.BULLETIN_MAX_ATTEMPTS = 2
    backends.FlakyBackend.failures = 10
    subscribers(1)
    bulletin = Bulletin.objects.create(subject="S", body="B")
    sending.queue(bulletin.pk)
    row = Delivery.objects.get()
    assert sending.send_batch(bulletin.pk, row.pk, row.pk) is None
    row.refresh_from_db()
    assert row.state == Delivery.State.FAILED and "Gave up after 2 attempts" in row.error
    bulletin.refresh_from_db()
    assert bulletin.status == Bulletin.Status.SENT


def test_a_batch_run_twice_never_sends_twice_and_a_dead_claim_is_never_resent(settings):
    settings.BULLETIN_BATCH_SIZE = 2
    subscribers(5)
    bulletin = Bulletin.objects.create(subject="S", body="B")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(sending, "dispatch", lambda *a: None)  # queue without sending
        sending.queue(bulletin.pk)
    rows = list(Delivery.objects.order_by("pk"))
    # A worker claimed the first row and died before it recorded the result.
    assert sending.claim(rows[0].pk)
    Delivery.objects.filter(pk=rows[0].pk).update(claimed_at=timezone.now() - timezone.timedelta(hours=1))
    for first, last in sending.batches(Delivery.objects.all()) * 2:  # every batch delivered twice
        sending.send_batch(bulletin.pk, first, last)
    assert sorted(m.to[0] for m in mail.outbox) == [f"s{i}@example.net" for i in range(1, 5)]
    assert Delivery.objects.get(pk=rows[0].pk).state == Delivery.State.INTERRUPTED
    assert Bulletin.objects.get(pk=bulletin.pk).status == Bulletin.Status.SENT
    assert sending.queue(bulletin.pk).recipients == 5 and len(mail.outbox) == 4  # queued again: nothing


def test_only_active_subscribers_receive_it():
    subscribers(2)
    Subscriber.objects.create(email="pending@example.net")
    Subscriber.objects.create(email="left@example.net", status=Subscriber.Status.UNSUBSCRIBED)
    bulletin = Bulletin.objects.create(subject="S", body="B")
    sending.queue(bulletin.pk)
    assert sorted(m.to[0] for m in mail.outbox) == ["s0@example.net", "s1@example.net"]


def test_editors_pages_answer_404_to_non_editors_and_a_communications_editor_may_send(client_for, editor_client):
    subscribers(1)
    bulletin = Bulletin.objects.create(subject="S", body="B")
    for persona in ("school_leader", "trust_leader", "chair", "officer"):
        c = client_for(persona)
        assert c.get("/bulletin/manage/").status_code == 404
        assert c.post(f"/bulletin/manage/{bulletin.pk}/send/", {"when": "now"}).status_code == 404
    assert not mail.outbox
    assert editor_client.post(f"/bulletin/manage/{bulletin.pk}/send/", {"when": "now"}).status_code == 302
    assert len(mail.outbox) == 1
    report = editor_client.get(f"/bulletin/manage/{bulletin.pk}/report/").content.decode()
    assert "1 recipient" in report


def test_the_archive_lists_only_sent_bulletins(client):
    Bulletin.objects.create(subject="Went out", body="B", status=Bulletin.Status.SENT, sent_at=timezone.now())
    draft = Bulletin.objects.create(subject="Not yet", body="B")
    html = client.get("/bulletin/").content.decode()
    assert "Went out" in html and "Not yet" not in html
    assert client.get(f"/bulletin/{draft.pk}/").status_code == 404


def test_with_a_broker_a_temporary_failure_requeues_the_batch_after_a_pause(settings, monkeypatch):
    from communications import tasks

    settings.EMAIL_BACKEND = "communications.tests.backends.FlakyBackend"
    backends.FlakyBackend.failures = 1
    subscribers(2)
    bulletin = Bulletin.objects.create(subject="S", body="B")
    monkeypatch.setattr(sending, "dispatch", lambda *a: None)
    sending.queue(bulletin.pk)
    rows = Delivery.objects.order_by("pk")
    queued = []
    monkeypatch.setattr(tasks.send_bulletin_batch, "apply_async", lambda args, countdown: queued.append((args, countdown)))
    tasks.send_bulletin_batch.run(bulletin.pk, rows.first().pk, rows.last().pk)  # as a worker runs it
    assert queued == [((bulletin.pk, rows.first().pk, rows.last().pk), 30)]
    tasks.send_bulletin_batch.run(*queued[0][0])
    assert set(Delivery.objects.values_list("state", flat=True)) == {Delivery.State.SENT}


def test_someone_who_unsubscribes_after_it_is_queued_does_not_get_it(monkeypatch):
    subscribers(2)
    bulletin = Bulletin.objects.create(subject="S", body="B")
    monkeypatch.setattr(sending, "dispatch", lambda *a: None)
    sending.queue(bulletin.pk)
    Client().post(f"/bulletin/unsubscribe/{Subscriber.objects.get(email='s0@example.net').token}/")
    rows = Delivery.objects.order_by("pk")
    sending.send_batch(bulletin.pk, rows.first().pk, rows.last().pk)
    assert [m.to[0] for m in mail.outbox] == ["s1@example.net"]
    assert Delivery.objects.get(email="s0@example.net").state == Delivery.State.SKIPPED
    assert Bulletin.objects.get(pk=bulletin.pk).status == Bulletin.Status.SENT


def test_over_real_smtp_a_421_is_retried_and_a_550_recorded_as_failed(settings):
    from communications.tests.smtp_server import Server

    server = Server(refuse={"s1@example.net": [421], "s2@example.net": [550, 550]})
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", server.port, 5
        subscribers(4)
        bulletin = Bulletin.objects.create(subject="S", body="B")
        sending.queue(bulletin.pk)  # s0 sent; s1 refused for now: the batch stops and waits
        assert server.delivered == ["s0@example.net"]
        rows = Delivery.objects.order_by("pk")
        assert sending.send_batch(bulletin.pk, rows.first().pk, rows.last().pk) is None
        states = dict(rows.values_list("email", "state"))
        assert states == {"s0@example.net": "sent", "s1@example.net": "sent", "s2@example.net": "failed",
                          "s3@example.net": "sent"}
        assert sorted(server.delivered) == ["s0@example.net", "s1@example.net", "s3@example.net"]
        assert "550" in Delivery.objects.get(email="s2@example.net").error
    finally:
        server.stop()


def test_send_bulletins_sends_what_is_due(capsys, settings):
    from django.core.management import call_command

    subscribers(1)
    Bulletin.objects.create(subject="Due", body="B", status=Bulletin.Status.SCHEDULED,
                            send_at=timezone.now() - timezone.timedelta(minutes=1))
    call_command("send_bulletins")
    assert "Queued 1 scheduled bulletin(s)" in capsys.readouterr().out
    assert [m.subject for m in mail.outbox] == [f"{settings.PARTNERSHIP_NAME} bulletin: Due"]
