"""News and the bulletin in a real browser: an editor writes news and composes, previews and sends a
bulletin; a visitor reads the news and subscribes; axe finds nothing on any of their pages."""

import re
from types import SimpleNamespace

import pytest
from django.core import mail

from communications.models import Bulletin, Delivery, Subscriber
from communications.tests import matrix
from tests.browser.conftest import axe_sweep, axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _role_groups(personas):
    """An earlier transactional test flushes the role groups the migrations created: put them back."""
    from django.contrib.auth.models import Group as RoleGroup

    from conftest import PERSONA_ROLES

    for persona, roles in PERSONA_ROLES.items():
        getattr(personas, persona).groups.set([RoleGroup.objects.get_or_create(name=r)[0] for r in roles])


@pytest.fixture
def editor_page(browser, live_server, db):
    """A page signed in as a Communications editor (not an admin)."""
    from django.conf import settings
    from django.contrib.auth.models import Group as RoleGroup
    from django.test import Client

    from conftest import make_user, sign_in

    RoleGroup.objects.get_or_create(name="Communications editor")
    user = make_user("editor@example.org", ["Communications editor"], first_name="Eda", last_name="Editor")
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    cookie = sign_in(Client(), user).cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])
    page = context.new_page()
    yield page
    context.close()


def check(page, name, report):
    """axe on the page, and screenshots at 1280 and 320 px; nothing may scroll sideways at 320."""
    violations = axe_violations(page)
    if violations:
        report[name] = violations
    screenshot(page, f"comms-{name}-1280")
    page.set_viewport_size({"width": 320, "height": 800})
    if not page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"):
        report[f"{name} at 320 px"] = "scrolls sideways"
    screenshot(page, f"comms-{name}-320")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_an_editor_sends_a_bulletin_and_a_visitor_reads_news_and_subscribes(editor_page, page_as):
    report = {}
    Subscriber.objects.create(email="already@example.net", status=Subscriber.Status.ACTIVE)
    page = editor_page
    page.goto("/news/manage/")
    page.get_by_role("link", name="Write a news post").click()
    page.get_by_role("button", name="Save and preview").click()
    assert "Enter a title" in page.locator(".govuk-error-summary").inner_text()
    check(page, "news-form-errors", report)
    page.get_by_label("Title", exact=True).fill("Conference places are open")
    page.get_by_label("Summary").fill("Book your place at the annual conference.")
    page.get_by_label("Post (Markdown)").fill("The conference is **free** for every school.")
    page.get_by_label("Tags (optional)").fill("conference")
    page.get_by_role("button", name="Save and preview").click()
    page.get_by_role("button", name="Publish the post").wait_for()
    check(page, "news-preview", report)
    page.get_by_role("button", name="Publish the post").click()
    page.get_by_text("is now public").wait_for()
    check(page, "news-manage", report)

    page.goto("/bulletin/manage/")
    check(page, "bulletin-manage", report)
    page.get_by_role("link", name="Compose a bulletin").click()
    body = page.get_by_label("Bulletin (Markdown)")
    assert "Conference places are open" in body.input_value()  # pre-filled from the news just published
    check(page, "bulletin-compose", report)
    page.get_by_label("Subject").fill("Conference week")
    body.fill(body.input_value() + "\n\nSee you **there**.")
    page.get_by_role("button", name="Save and preview").click()
    page.get_by_role("heading", name="The bulletin as subscribers will see it").wait_for()
    assert page.locator(".pep-email-preview strong", has_text="there").is_visible()
    check(page, "bulletin-preview", report)
    page.get_by_label("Send now").check()
    page.get_by_role("button", name="Send the bulletin").click()
    page.get_by_text("The bulletin is on its way").wait_for()
    check(page, "bulletin-report", report)
    bulletin = Bulletin.objects.get(subject="Conference week")
    assert bulletin.status == Bulletin.Status.SENT
    assert list(Delivery.objects.values_list("email", "state")) == [("already@example.net", "sent")]
    sent = mail.outbox[-1]
    assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    visitor = page_as("anonymous")
    visitor.goto("/")
    visitor.get_by_role("link", name="Conference places are open").click()
    visitor.get_by_role("heading", name="Conference places are open").wait_for()
    assert visitor.locator(".pep-markdown strong", has_text="free").is_visible()
    check(visitor, "news-post", report)
    visitor.goto("/news/")
    check(visitor, "news-index", report)
    visitor.goto("/bulletin/")
    visitor.get_by_role("link", name="Conference week").wait_for()
    check(visitor, "bulletin-archive", report)
    visitor.get_by_role("link", name="Conference week").click()
    check(visitor, "bulletin-issue", report)
    visitor.goto("/bulletin/subscribe/")
    visitor.get_by_role("button", name="Subscribe").click()
    visitor.locator(".govuk-error-summary").wait_for()
    check(visitor, "subscribe-errors", report)
    visitor.get_by_label("Email address").fill("visitor@example.net")
    visitor.get_by_role("button", name="Subscribe").click()
    visitor.get_by_role("heading", name="Check your email").wait_for()
    check(visitor, "check-email", report)
    confirm = re.search(r"https?://\S+/bulletin/confirm/\S+/", mail.outbox[-1].body).group(0)
    visitor.goto("/bulletin/confirm/" + confirm.split("/bulletin/confirm/", 1)[1])
    check(visitor, "confirm", report)
    visitor.get_by_role("button", name="Confirm my subscription").click()
    visitor.get_by_role("heading", name="You are subscribed").wait_for()
    check(visitor, "confirmed", report)
    subscriber = Subscriber.objects.get(email="visitor@example.net")
    assert subscriber.status == Subscriber.Status.ACTIVE
    visitor.goto(f"/bulletin/unsubscribe/{subscriber.token}/")
    check(visitor, "unsubscribe", report)
    visitor.get_by_role("button", name="Unsubscribe").click()
    visitor.get_by_role("heading", name="You have unsubscribed").wait_for()
    check(visitor, "unsubscribed", report)
    assert not report, report


def test_every_communications_page_passes_axe(page_as, personas):
    # Only this app's objects (and governance's, which the pre-fill reads).
    from governance.tests import matrix as governance_matrix

    world = SimpleNamespace(personas=personas)
    governance_matrix.setup(world)
    matrix.setup(world)
    report = axe_sweep(page_as, matrix.ROUTES, world, "comms")
    assert not report, report
