"""The progress report as an officer uses it: one report model, three formats that agree with each
other and with the portal's own pages, a confidential appendix kept apart and logged."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from reports.document import CONFIDENTIAL_MARKING, count_text, suppress_counts
from reports.tests.extract import docx_tables, docx_text, html_tables, pdf_info, pdf_objects, pdf_text, squash
from tests.world import CANARY_RATING, build_world

pytestmark = pytest.mark.django_db
OUTPUT = Path(__file__).resolve().parents[2] / "test-output" / "reports"


def keep(name, data):
    """Kept for a person to look at (pdftoppm, Word); test-output/ is not committed."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    (OUTPUT / name).write_bytes(data)


def period_query(days=60):
    today = timezone.localdate()
    return f"from={today - datetime.timedelta(days=days):%Y-%m-%d}&to={today:%Y-%m-%d}"


@pytest.fixture
def world(personas):
    """The shared world plus enough rated schools that priority counts are published, not withheld."""
    from dashboard.runs import run_ratings
    from dashboard.tests import factories as f

    world = build_world(personas)
    for i in range(4):
        f.school(f"Good Primary {i}", urn=960000 + i, ofsted="Good")
        f.school(f"Requires Improvement Primary {i}", urn=961000 + i, ofsted="Requires improvement")
        f.school(f"Special Measures Primary {i}", urn=962000 + i, ofsted="Special Measures")
    world.second_run = run_ratings(triggered_by="nightly")
    held_events_and_sent_bulletins(world)
    return world


EVENTS_CAPTION = "Events held in the period: places, bookings confirmed and attendance"
BULLETINS_CAPTION = "Bulletins sent in the period: recipients and results"


def held_events_and_sent_bulletins(world):
    """Two events held in the period (one with attendance marked), a draft one that does not count; a
    bulletin sent in the period with mixed results, and one sent long before it."""
    from communications.models import Bulletin, Delivery
    from events.models import Booking, BookingStatus, Event

    def event(title, days, published=True):
        starts = timezone.now() - datetime.timedelta(days=days)
        return Event.objects.create(title=title, starts_at=starts, ends_at=starts + datetime.timedelta(hours=2),
                                    booking_deadline=starts - datetime.timedelta(days=1), capacity=30,
                                    place="Civic Offices", is_published=published)

    def bookings(ev, *states):
        Booking.objects.bulk_create(Booking(event=ev, name=f"P{i}", email=f"p{i}-{ev.pk}@example.net", status=status,
                                            attended=attended) for i, (status, attended) in enumerate(states))

    confirmed, cancelled = BookingStatus.CONFIRMED, BookingStatus.CANCELLED
    world.conference = event("Autumn conference", 10)
    bookings(world.conference, (confirmed, True), (confirmed, True), (confirmed, False), (cancelled, None))
    bookings(event("Phonics workshop", 20), (confirmed, None), (confirmed, None))
    bookings(event("Draft planning day", 5, published=False), (confirmed, True))

    def bulletin(subject, days, *states):
        sent = Bulletin.objects.create(subject=subject, body="B", status=Bulletin.Status.SENT, recipients=len(states),
                                       sent_at=timezone.now() - datetime.timedelta(days=days))
        Delivery.objects.bulk_create(Delivery(bulletin=sent, email=f"r{i}@example.net", state=state)
                                     for i, state in enumerate(states))
        return sent

    S = Delivery.State
    world.bulletin_mixed = bulletin("Week of 9 November", 20, S.SENT, S.SENT, S.SENT, S.FAILED, S.SKIPPED)
    bulletin("Summer bulletin", 200, S.SENT)


def long_date_ago(days):
    from reports.period import long_date

    return long_date(timezone.localdate() - datetime.timedelta(days=days))


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response


def test_the_three_formats_carry_the_same_figures(world, client_for):
    officer = client_for("officer")
    base = f"/reports/progress/?{period_query()}"
    page = fetch(officer, base)
    report = page.context["report"]
    pdf = fetch(officer, base + "&format=pdf")
    docx = fetch(officer, base + "&format=docx")
    keep("progress.pdf", pdf.content)
    keep("progress.docx", docx.content)
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    assert "attachment" in docx["Content-Disposition"] and docx["Content-Disposition"].endswith('.docx"')

    expected = [(t.caption, list(t.rows)) for t in report.tables]
    assert len(expected) >= 6  # targets, priorities, support, governance, events, bulletins
    assert dict(expected)[EVENTS_CAPTION] == [
        ("Phonics workshop", long_date_ago(20), "30", "2", "0"),
        ("Autumn conference", long_date_ago(10), "30", "3", "2"),
        ("All events held", "", "60", "5", "2"),
    ]
    bulletins = dict(expected)[BULLETINS_CAPTION]
    assert ("Week of 9 November", long_date_ago(20), "5", "3", "1", "1") in bulletins
    assert "Summer bulletin" not in str(bulletins)  # sent before the period
    assert bulletins[-1][0] == "All bulletins sent"
    assert html_tables(page.content.decode()) == expected
    assert docx_tables(docx.content) == [rows for _, rows in expected]
    pdf_words = squash(" ".join(pdf_text(pdf.content, layout=False)))
    missing = [cell for _, rows in expected for row in rows for cell in row if squash(cell) not in pdf_words]
    assert not missing, f"figures missing from the PDF: {missing}"


def test_the_report_agrees_with_the_dashboard_strategy_and_support_pages(world, client_for):
    officer = client_for("officer")
    report = fetch(officer, f"/reports/progress/?{period_query()}").context["report"]
    tables = {t.caption: t for t in report.tables}

    overview = fetch(officer, "/dashboard/").context["summary"]
    priorities = tables["Schools by priority at the start and end of the period"]
    at_end = {row[0]: row[2] for row in priorities.rows}
    published = suppress_counts({line["priority"]: line["count"] for line in overview})
    for line in overview:
        assert at_end[line["label"]] == count_text(published[line["priority"]])
    assert sum(1 for line in overview if published[line["priority"]]) >= 3  # real figures, not all withheld
    assert at_end["All schools rated"] == f"{sum(s['count'] for s in overview):,}"

    scorecard = fetch(officer, "/strategy/").context["scorecard"]
    targets = {row[0]: row for row in next(t for c, t in tables.items() if c.startswith("Targets of")).rows}
    for view in scorecard:
        row = targets[view.target.title]
        assert row[1] == view.status_label
        assert row[3].startswith(view.latest)
        assert row[4] == view.goal

    support = fetch(officer, "/dashboard/support/").context
    states, term = support["states"], support["term"]
    by_term = {row[0]: row for row in tables["Support visits and questions by term"].rows}
    planned = states["Done"] + states["Due"] + states["Overdue"]
    assert by_term[str(term)][1:3] == (f"{planned:,}", f"{states['Done']:,}")
    assert planned > 0 and states["Done"] > 0


def test_events_and_bulletins_agree_with_the_editors_pages(world, client_for):
    admin = client_for("admin")
    tables = {t.caption: t for t in fetch(admin, f"/reports/progress/?{period_query()}").context["report"].tables}
    states = dict(fetch(admin, f"/bulletin/manage/{world.bulletin_mixed.pk}/report/").context["states"])
    [row] = [r for r in tables[BULLETINS_CAPTION].rows if r[0] == world.bulletin_mixed.subject]
    assert row[3:] == (str(states["Sent"]), str(states["Failed"]),
                       str(states["Not sent: unsubscribed meanwhile"] + states["Interrupted (may not have arrived)"]))
    bookings = fetch(admin, f"/events/manage/{world.conference.pk}/bookings/").content.decode()
    conference = next(r for r in tables[EVENTS_CAPTION].rows if r[0] == "Autumn conference")
    assert conference[3] == "3" and bookings.count("p0-") + bookings.count("p1-") + bookings.count("p2-") >= 3
    # A period with neither says so in every part instead of an empty table.
    old = fetch(admin, "/reports/progress/?from=2020-01-01&to=2020-03-31").content.decode()
    assert "No events were held in the period." in old and "No bulletins were sent in the period." in old


def test_every_figure_says_where_it_comes_from_and_as_at_when(world, client_for):
    report = fetch(client_for("admin"), f"/reports/progress/?{period_query()}").context["report"]
    for section in report.sections:
        for part in section.parts:
            assert part.source and part.as_at, f"{section.heading} / {part.heading}"


def test_the_public_report_names_no_school(world, client_for):
    officer = client_for("officer")
    base = f"/reports/progress/?{period_query()}"
    html = fetch(officer, base).content.decode()
    pdf = " ".join(pdf_text(fetch(officer, base + "&format=pdf").content))
    docx = docx_text(fetch(officer, base + "&format=docx").content)
    for text in (html, pdf, docx):
        assert world.school_a.name not in text and str(world.school_a.urn) not in text
        assert CANARY_RATING not in text


def test_the_pdf_is_tagged_titled_in_english_and_reads_in_order(world, client_for):
    pdf = fetch(client_for("officer"), f"/reports/progress/?{period_query()}&format=pdf").content
    info = pdf_info(pdf)
    assert info["Tagged"].strip() == "yes"
    assert info["Title"].strip().startswith("Progress report,")
    objects = pdf_objects(pdf)
    assert "/Lang (en-GB)" in objects or "/Lang(en-GB)" in objects
    for tag in ("/H1", "/H2", "/H3", "/Table", "/TH", "/TD", "/Caption", "/Figure"):
        assert f"/S {tag}" in objects or f"/S{tag}" in objects, tag
    assert "/Alt (Bar chart: support visits planned and done by term" in objects  # the chart's text alternative
    text = squash(" ".join(pdf_text(pdf)))
    order = ["Progress report", "Strategy targets", "Schools by priority", "Support delivered", "Governance"]
    positions = [text.index(heading, text.index("Made from live data")) for heading in order[1:]]
    assert positions == sorted(positions)


def test_the_docx_has_real_headings_and_tables(world, client_for):
    import io

    from docx import Document

    data = fetch(client_for("officer"), f"/reports/progress/?{period_query()}&format=docx").content
    document = Document(io.BytesIO(data))
    styles = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert ("Title", "Progress report") in styles
    assert ("Heading 1", "Schools by priority") in styles and ("Heading 1", "Governance") in styles
    assert ("Heading 2", "Visits and questions") in styles
    assert len(document.tables) >= 4
    assert document.tables[0].rows[0]._tr.trPr.xml.count("tblHeader") == 1
    assert document.core_properties.title.startswith("Progress report,")


def test_the_confidential_appendix_is_marked_on_every_page_and_logged(world, client_for, personas):
    from dashboard.models import DashboardAccess

    officer = client_for("officer")
    base = f"/reports/progress/confidential/?{period_query()}"
    before = DashboardAccess.objects.filter(user=personas.officer, school=world.school_a).count()
    html = fetch(officer, base).content.decode()
    pdf = fetch(officer, base + "&format=pdf").content
    docx = fetch(officer, base + "&format=docx").content
    keep("confidential.pdf", pdf)
    assert CONFIDENTIAL_MARKING in html and CANARY_RATING in html and world.school_a.name in html
    pages = pdf_text(pdf)
    assert pages and all(CONFIDENTIAL_MARKING in squash(page) for page in pages)
    # A narrow table cell wraps the canary at its hyphens ("CANARY-" / "RATING-7f3a9"): rejoin those.
    assert CANARY_RATING in squash(" ".join(pdf_text(pdf, layout=False))).replace("- ", "-")
    import io

    from docx import Document

    document = Document(io.BytesIO(docx))
    assert all(CONFIDENTIAL_MARKING in s.header.paragraphs[0].text for s in document.sections)
    assert CANARY_RATING in docx_text(docx)
    logged = DashboardAccess.objects.filter(user=personas.officer, school=world.school_a)
    assert logged.count() == before + 3
    assert logged.first().path.startswith("/reports/progress/confidential/")


def test_a_bad_period_is_refused_with_what_and_where(world, client_for):
    officer = client_for("officer")
    response = officer.get("/reports/progress/?from=2026-02-30&to=2026-01-01")
    assert response.status_code == 400
    body = response.content.decode()
    assert "The start date must be a real date" in body and 'href="#from"' in body
    response = officer.get("/reports/progress/?from=2026-03-01&to=2026-01-01")
    assert response.status_code == 400
    assert "The end date must be the same as or after the start date" in response.content.decode()


def test_the_form_offers_last_term_first(world, client_for):
    from reports.period import last_term

    term = last_term()
    response = fetch(client_for("officer"), "/reports/")
    body = response.content.decode()
    assert f'value="{term.start:%Y-%m-%d}"' in body and f'value="{term.end:%Y-%m-%d}"' in body
    assert "(last term)" in body


def test_a_new_section_is_one_function_and_every_format_carries_it(world, client_for):
    """How a section joins: one function appended to the sections."""
    from django.template.loader import render_to_string

    from reports import build, sections
    from reports.document import Part, Section, Table
    from reports.pdf import write_pdf
    from reports.period import parse
    from reports.word import docx_bytes

    def events(period):
        table = Table(caption="Events held", columns=("Event", "Booked"), rows=(("Annual conference", "212"),))
        return Section(key="events", heading="Events", parts=(
            Part(heading="Events held and booked", source="The events pages", as_at="today", table=table),))

    period = parse({"from": "2026-09-01", "to": "2026-11-29"})
    report = build.progress_report(period, sections.SECTIONS + (events,))
    assert html_tables(render_to_string("reports/document_pdf.html", {"report": report}))[-1] == (
        "Events held", [("Annual conference", "212")])
    assert docx_tables(docx_bytes(report))[-1] == [("Annual conference", "212")]
    assert "Annual conference 212" in squash(" ".join(pdf_text(write_pdf(
        render_to_string("reports/document_pdf.html", {"report": report})), layout=False)))


def test_report_downloads_are_never_cached(world, client_for):
    officer = client_for("officer")
    for url in (f"/reports/progress/?{period_query()}&format=pdf",
                f"/reports/progress/confidential/?{period_query()}&format=docx"):
        assert fetch(officer, url)["Cache-Control"] == "no-store"


def test_a_run_before_the_period_gives_the_changes(world, client_for):
    """With a rating run before the period began, the report shows the change and the appendix who changed."""
    from dashboard.models import SchoolRating

    world.rating_run.finished_at = timezone.now() - datetime.timedelta(days=100)
    world.rating_run.save(update_fields=["finished_at"])
    officer = client_for("officer")
    report = fetch(officer, f"/reports/progress/?{period_query()}").context["report"]
    priorities = next(t for t in report.tables if t.caption.startswith("Schools by priority"))
    rows = {row[0]: row for row in priorities.rows}
    after = SchoolRating.objects.filter(run=world.second_run).count()
    assert rows["All schools rated"][1:] == ("2", f"{after:,}", f"+{after - 2:,}")
    assert rows["Priority 2"][1] == "fewer than 3" and rows["Priority 2"][3] == "not shown"

    appendix = fetch(officer, f"/reports/progress/confidential/?{period_query()}").context["report"]
    changes = next(t for t in appendix.tables if t.caption.startswith("Schools whose computed priority changed"))
    by_school = {row[0]: row for row in changes.rows}
    assert by_school["Good Primary 0 (960000)"][1] == "Not rated"
