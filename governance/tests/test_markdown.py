import pytest

from governance.markdown import render_markdown

ATTACKS = [
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    '<svg onload="alert(1)"><circle r="5"/></svg>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "![x](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)",
    '<p style="background:url(javascript:alert(1))" onclick="alert(1)">styled</p>',
    '<iframe src="https://evil.example"></iframe>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<form action="https://evil.example"><input name="p"></form>',
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_it_removes_scripts_handlers_and_dangerous_urls(attack):
    html = str(render_markdown(f"Before\n\n{attack}\n\nAfter")).lower()
    for bad in (
        "<script",
        "onerror",
        "onload",
        "onclick",
        "javascript:",
        "data:",
        "<svg",
        "style=",
        "<iframe",
        "<img",
        "<form",
        "<input",
        "<math",
        "<style",
    ):
        assert bad not in html, f"{bad!r} survived in {html!r}"
    assert "before" in html  # the surrounding text survives (an unclosed <style> may swallow what follows)


def test_it_keeps_ordinary_markdown_with_gov_uk_classes():
    html = str(render_markdown("# Heading\n\nSome **bold** text and a [link](https://example.org).\n\n* one\n* two"))
    assert '<h3 class="govuk-heading-s">Heading</h3>' in html
    assert "<strong>bold</strong>" in html
    assert 'href="https://example.org"' in html and 'class="govuk-link"' in html and "noopener" in html
    assert '<ul class="govuk-list govuk-list--bullet">' in html


def test_it_ignores_classes_and_ids_from_the_author():
    html = str(render_markdown('<p class="govuk-button" id="main-content">x</p>'))
    assert "govuk-button" not in html and "main-content" not in html


def test_empty_text_renders_nothing():
    assert render_markdown("") == "" and render_markdown("   \n") == ""


@pytest.mark.django_db
def test_attacks_in_agenda_and_minutes_never_reach_the_pages_or_feeds(client_for, personas):
    from django.test import Client

    from governance.models import Action, AgendaItem, MinutesStatus
    from governance.tests import factories

    group = factories.group(chair=personas.chair, remit='<script>alert("remit")</script>Remit')
    meeting = factories.meeting(group, status="held", minutes_status=MinutesStatus.PUBLISHED)
    attack = "\n\n".join(ATTACKS)
    AgendaItem.objects.create(
        meeting=meeting, order=1, title='<script>alert("title")</script>', body=attack, decision=attack
    )
    Action.objects.create(meeting=meeting, description='<img src=x onerror=alert("action")>', owner="<b>x</b>")
    urls = [
        "/governance/",
        "/governance/inclusion/",
        "/governance/inclusion/actions/",
        f"/governance/meetings/{meeting.pk}/",
        "/governance/minutes.atom",
        "/",
    ]
    for client in (Client(), client_for("chair")):
        for url in urls + [
            f"/governance/manage/meetings/{meeting.pk}/",
            f"/governance/manage/meetings/{meeting.pk}/preview/",
        ]:
            html = client.get(url).content.decode()
            assert_no_live_markup(html, url)


def assert_no_live_markup(html, url):
    import re

    lowered = html.lower()
    # Escaped text such as "&lt;script&gt;" is harmless; live tags and attributes are not.
    assert "<script>alert" not in lowered and "<img" not in lowered and "<svg" not in lowered, url
    assert "<iframe" not in lowered and "<math" not in lowered, url
    assert not re.search(r"<[a-z][^>]*\son[a-z]+\s*=", lowered), url
    assert not re.search(r"""(href|src)\s*=\s*["']?\s*(javascript|data):""", lowered), url
