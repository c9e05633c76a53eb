"""Doors a password alone, or a chart toolbar, would open: checked as a user in a real browser."""

import pytest
from django.test import Client

from conftest import PASSWORD, sign_in
from tests.browser.conftest import screenshot
from tests.world import all_routes, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What plotly's modebar may never offer: uploading the figure (share / cloud) or editing it online.
SENDING_BUTTONS = """() => Array.from(document.querySelectorAll('.modebar-btn, a, button'))
    .map(el => (el.getAttribute('data-title') || '') + ' ' + (el.textContent || ''))
    .filter(t => /share|cloud|chart studio|plotly\\.com|edit in/i.test(t))"""


def test_a_signed_in_headteacher_cannot_switch_to_the_admin_through_the_admin_login(page_as, personas):
    page = page_as("school_leader")
    page.goto("/admin/login/?next=/admin/")
    # The admin's own password form is gone: the portal login sends a signed-in user on, and
    # /admin/ is not found for someone who is not staff.
    page.wait_for_load_state()
    assert page.locator("input[type=password]").count() == 0, "the admin's own password form is offered"
    assert "/admin/" in page.url and page.locator("h1").inner_text().strip().lower().startswith("page not found")
    # Even a hand-made POST of the admin's credentials to the old address changes nothing.
    status = page.evaluate(
        """async ([email, password]) => {
            const token = document.cookie.split('; ').find(c => c.startsWith('csrftoken='));
            const body = new URLSearchParams({username: email, password: password, next: '/admin/',
                                             csrfmiddlewaretoken: token ? token.split('=')[1] : ''});
            const r = await fetch('/admin/login/?next=/admin/', {method: 'POST', body: body, redirect: 'follow'});
            return r.status;
        }""",
        [personas.admin.email, PASSWORD],
    )
    assert status in (403, 404)
    for url in ("/dashboard/", "/dashboard/imports/"):
        response = page.goto(url)
        assert response.status in (302, 404) or "page not found" in page.content().lower(), url
    page.goto("/accounts/email/")
    assert personas.school_leader.email in page.content() and personas.admin.email not in page.content()


def test_the_admin_signing_in_at_the_admin_address_is_asked_for_the_second_factor(page_as, personas):
    page = page_as("anonymous")
    page.goto("/admin/login/?next=/admin/")
    page.wait_for_selector("input[name=login]")
    assert "/accounts/login/" in page.url
    page.fill("input[name=login]", personas.admin.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.wait_for_url("**/accounts/2fa/authenticate/**")
    page.wait_for_selector("input[name=code]")
    screenshot(page, "admin-login-asks-for-totp")
    page.goto("/admin/")  # without the code the admin is not signed in: back to the sign-in steps
    assert "/accounts/" in page.url and "Site administration" not in page.content()


def test_no_chart_offers_to_send_its_data_anywhere(page_as, personas):
    world = build_world(personas)
    client_pages, checked = {}, []
    for route in all_routes():
        if not route.a11y:
            continue
        url = route.url(world)
        if route.a11y not in client_pages:
            user = getattr(personas, route.a11y)
            client_pages[route.a11y] = (sign_in(Client(), user) if user else Client(), page_as(route.a11y))
        client, page = client_pages[route.a11y]
        if "pep-chart-data" not in client.get(url).content.decode():
            continue
        page.goto(url)
        page.wait_for_selector(".js-plotly-plot .modebar")
        page.locator(".js-plotly-plot").first.hover()
        offered = page.evaluate(SENDING_BUTTONS)
        assert offered == [], f"{url} as {route.a11y}: {offered}"
        checked.append(url)
    # The home page, the strategy objective pages and the school dashboards draw charts.
    assert len(checked) >= 4 and "/" in checked, checked
