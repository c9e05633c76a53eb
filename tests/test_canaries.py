"""Confidential text never reaches the public: every public page, feed and export is scanned for a
canary planted in a school's rating reasons and a canary planted in an exempt minute item."""

import pytest

from tests.world import CANARY_DRAFT, CANARY_EXEMPT, CANARY_RATING, all_routes, build_world

EXTRA_PUBLIC = ["/schools/?_export=csv", "/governance/meetings.ics", "/governance/minutes.atom", "/no-such-page/",
                "/news.atom", "/news/?tag=canary", "/"]


@pytest.mark.django_db
def test_no_public_response_carries_a_rating_or_an_exempt_item(personas, client_for):
    world = build_world(personas)
    anonymous = client_for("anonymous")
    urls = [route.url(world) for route in all_routes() if route.expect.get("anonymous") == 200] + EXTRA_PUBLIC
    assert len(urls) > 20
    leaks = []
    for url in urls:
        response = anonymous.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        for canary in (CANARY_RATING, CANARY_EXEMPT, CANARY_DRAFT):
            if canary.encode() in body:
                leaks.append(f"{canary} in {url}")
    assert not leaks, leaks


@pytest.mark.django_db
def test_the_canaries_are_planted_where_officers_can_see_them(personas, client_for):
    world = build_world(personas)
    officer = client_for("officer")
    school = officer.get(f"/dashboard/schools/{world.school_a.urn}/").content.decode()
    assert CANARY_RATING in school
    meeting = officer.get(world.meeting_x.get_absolute_url()).content.decode()
    assert CANARY_EXEMPT in meeting


@pytest.mark.django_db
def test_search_never_finds_a_rating_or_an_exempt_item(personas, client_for):
    """The canaries, and the words around them, are searched for as a visitor would: no result at all."""
    build_world(personas)
    anonymous = client_for("anonymous")
    for q in (CANARY_EXEMPT, CANARY_RATING, CANARY_EXEMPT.split("-")[-1], "Named school discussion", "Business affairs",
              "Follow up", "Best fit after a visit"):
        response = anonymous.get("/search/", {"q": q})
        assert response.status_code == 200
        assert response.context["groups"] == [], f"search for {q!r} found {response.context['groups']}"
    for kind in ("meetings", "schools"):
        page = anonymous.get("/search/", {"q": CANARY_EXEMPT, "kind": kind}).context["page"]
        assert page.paginator.count == 0
    # The same meeting is found by its public words, and its document holds no exempt text.
    found = anonymous.get("/search/", {"q": "attendance rose"}).context["groups"]
    assert [g.kind for g in found] == ["meetings"]
    from search.models import SearchDocument

    for doc in SearchDocument.objects.all():
        for canary in (CANARY_RATING, CANARY_EXEMPT, CANARY_DRAFT):
            assert canary not in f"{doc.title} {doc.summary} {doc.body}", f"{canary} indexed in {doc}"


@pytest.mark.django_db
def test_search_never_finds_a_draft_news_post(personas, client_for):
    """The draft post carries CANARY_DRAFT in its title, summary, body, tags and image text; the
    published post beside it is found, so news is searched and the draft is not."""
    world = build_world(personas)
    anonymous = client_for("anonymous")
    for q in (CANARY_DRAFT, CANARY_DRAFT.split("-")[-1], "Secret plans", "Not yet", "Draft image"):
        response = anonymous.get("/search/", {"q": q})
        assert response.context["groups"] == [], f"search for {q!r} found {response.context['groups']}"
        assert anonymous.get("/search/", {"q": q, "kind": "news"}).context["page"].paginator.count == 0
    found = anonymous.get("/search/", {"q": world.news_public.title}).context["groups"]
    assert world.news_public.title in [d.title for g in found if g.kind == "news" for d in g.results]


@pytest.mark.django_db
def test_the_public_progress_report_and_board_packs_carry_no_canary(personas, client_for):
    """Officers open the public report in every format; anyone opens a meeting's public pack."""
    import datetime

    from reports.tests.extract import docx_text, pdf_text

    world = build_world(personas)
    today = datetime.date.today()
    report = f"/reports/progress/?from={today - datetime.timedelta(days=60)}&to={today}"
    officer = client_for("officer")
    bodies = {
        "report (HTML)": officer.get(report).content.decode(),
        "report (PDF)": " ".join(pdf_text(officer.get(report + "&format=pdf").content, layout=False)),
        "report (Word)": docx_text(officer.get(report + "&format=docx").content),
    }
    for meeting in (world.meeting_x, world.meeting_x_next):
        pack = client_for("anonymous").get(f"/governance/meetings/{meeting.pk}/pack.pdf").content
        bodies[f"pack of meeting {meeting.pk}"] = " ".join(pdf_text(pack, layout=False))
    leaks = [f"{canary} in {name}" for name, body in bodies.items() for canary in (CANARY_RATING, CANARY_EXEMPT)
             if canary in " ".join(body.split())]
    assert not leaks, leaks
    appendix = officer.get(report.replace("/progress/", "/progress/confidential/")).content.decode()
    assert CANARY_RATING in appendix
