"""Playwright driving Debian's chromium (never a downloaded browser) against live_server."""

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
OUTPUT = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is missing: apt-get install chromium (make test does it)"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page_as(browser, live_server, personas):
    """page_as("officer") -> a Playwright page signed in as that persona (anonymous: signed out)."""
    from django.conf import settings
    from django.test import Client

    from conftest import sign_in

    contexts = []

    def make(persona):
        context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
        contexts.append(context)
        user = getattr(personas, persona)
        if user is not None:
            client = sign_in(Client(), user, reauthenticated=True)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME]
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
            )
        page = context.new_page()
        # A CSP violation means a script or style the page needs was blocked: the sweep fails on it.
        page.csp_errors = []
        page.on("console", lambda msg: "Content Security Policy" in msg.text and page.csp_errors.append(msg.text))
        return page

    yield make
    for context in contexts:
        context.close()


def axe_violations(page):
    # Evaluated through the DevTools protocol, so the page's CSP stays in force for everything else.
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    return page.evaluate(
        """async () => (await axe.run(document, {runOnly: {type: 'tag', values:
            ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa']}})).violations
            .map(v => ({id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}))"""
    )


def screenshot(page, name):
    OUTPUT.mkdir(parents=True, exist_ok=True)
    path = OUTPUT / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def axe_sweep(page_as, routes, world, prefix, pages=None):
    """Open every route that names an a11y persona, one browser page per persona, and return
    {"<url> as <persona>": axe and CSP violations}. `pages` collects those pages for later steps."""
    import re

    pages = {} if pages is None else pages
    report = {}
    for route in routes:
        if not route.a11y:
            continue
        page = pages.get(route.a11y) or page_as(route.a11y)
        pages[route.a11y] = page
        url = route.url(world)
        response = page.goto(url)
        assert response.status < 400, f"{url} as {route.a11y}: {response.status}"
        violations = axe_violations(page)
        if page.csp_errors:
            violations = violations + [{"id": "csp", "nodes": list(page.csp_errors)}]
            page.csp_errors.clear()
        screenshot(page, re.sub(r"[^a-z0-9]+", "-", f"{prefix}-{route.name}-{route.a11y}-{url}".lower())[:90])
        if violations:
            report[f"{url} as {route.a11y}"] = violations
    return report
