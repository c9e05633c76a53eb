"""The exempt canary never reaches anyone outside the group: public pages, feeds, files and errors."""

import pytest
from django.test import Client

from conftest import make_user
from governance.models import MemberRole, Membership
from governance.tests import matrix
from tests.world import CANARY_EXEMPT, build_world

pytestmark = pytest.mark.django_db


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


@pytest.fixture
def world(personas):
    return build_world(personas)


@pytest.fixture
def outsiders(world, client_for):
    """Anonymous, leaders of no group, and a member and a chair of another group (Y)."""
    clients = {name: client_for(name) for name in ("anonymous", "school_leader", "trust_leader")}
    for role, roles in (
        (MemberRole.MEMBER, ["School leader"]),
        (MemberRole.CHAIR, ["Subgroup chair", "School leader"]),
    ):
        user = make_user(f"y-{role}@example.org", roles)
        Membership.objects.create(group=world.group_y, user=user, role=role)
        client = Client()
        client.force_login(user)
        clients[f"{role} of group Y"] = client
    return clients


def test_no_governance_page_feed_or_file_shows_exempt_text_to_outsiders(world, outsiders):
    urls = {route.url(world) for route in matrix.ROUTES} | {"/"}
    checked = 0
    for name, client in outsiders.items():
        for url in sorted(urls):
            response = client.get(url)
            assert CANARY_EXEMPT not in body(response), f"{name} GET {url} ({response.status_code})"
            checked += 1
    assert checked >= 5 * 30


def test_errors_and_refused_posts_do_not_leak_it(world, outsiders):
    x = world.meeting_x
    posts = [
        (f"/governance/manage/meetings/{x.pk}/items/{world.item_x_exempt.pk}/", {"order": 2, "title": "x"}),
        (f"/governance/manage/meetings/{x.pk}/publish/", {}),
        (f"/governance/manage/meetings/{x.pk}/actions/{world.action_x_exempt.pk}/", {"description": ""}),
    ]
    gets = [
        f"/governance/meetings/{x.pk}/attachments/{world.attachment_x_exempt.pk}/",
        f"/governance/meetings/{world.meeting_y.pk}/attachments/{world.attachment_x_exempt.pk}/",
        "/governance/meetings/999999/",
        "/governance/no-such-group/",
        "/governance/no-such-group/meetings.ics",
    ]
    for name, client in outsiders.items():
        for url, data in posts:
            response = client.post(url, data)
            assert response.status_code in (302, 403, 404), f"{name} POST {url}: {response.status_code}"
            assert CANARY_EXEMPT not in body(response)
        for url in gets:
            response = client.get(url)
            assert response.status_code == 404, f"{name} GET {url}"
            assert CANARY_EXEMPT not in body(response)
    world.item_x_exempt.refresh_from_db()
    assert CANARY_EXEMPT in world.item_x_exempt.title


def test_members_officers_and_admins_do_see_it(world, client_for):
    url = f"/governance/meetings/{world.meeting_x.pk}/"
    for persona in ("chair", "officer", "admin"):
        page = body(client_for(persona).get(url))
        assert f"Case study {CANARY_EXEMPT}" in page and f"Resolved {CANARY_EXEMPT}" in page, persona
    # Even they get the public view in the feeds, which are the same for everyone.
    for feed in ("/governance/minutes.atom", "/governance/meetings.ics"):
        assert CANARY_EXEMPT not in body(client_for("officer").get(feed))
