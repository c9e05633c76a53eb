"""A meeting's board pack: the public pack carries public papers and exempt notices, never an exempt
paper; the exempt pack opens only for those who may read the group's exempt items."""

import pytest
from django.core.files.base import ContentFile

from reports.tests.extract import pdf_info, pdf_objects, pdf_text, squash
from reports.tests.test_reports import keep
from tests.world import CANARY_EXEMPT, build_world

pytestmark = pytest.mark.django_db


def text_of(response):
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return squash(" ".join(pdf_text(response.content, layout=False)))


def test_the_public_pack_has_agenda_papers_and_the_previous_minutes_but_no_exempt_paper(personas, client_for):
    world = build_world(personas)
    pack = text_of(client_for("anonymous").get(f"/governance/meetings/{world.meeting_x_next.pk}/pack.pdf"))
    assert "Board pack" in pack and "Welcome" in pack
    assert "Exempt item under paragraph 1 of Schedule 12A" in pack
    # The previous meeting's published minutes: its public item in full, its exempt item as a notice.
    assert "Attendance rose this term." in pack and "Exempt item under paragraph 3" in pack
    assert CANARY_EXEMPT not in pack

    own = text_of(client_for("anonymous").get(f"/governance/meetings/{world.meeting_x.pk}/pack.pdf"))
    assert "Public paper for the permission matrix." in own  # a text paper, printed in the pack
    assert CANARY_EXEMPT not in own and "Its papers are not included in the public pack" in own


def test_pdf_papers_are_embedded_in_the_pack(personas, client_for):
    from governance.models import Attachment

    world = build_world(personas)
    paper = fetch_pdf_paper(client_for)
    Attachment.objects.create(agenda_item=world.item_x_public, file=ContentFile(paper, name="budget.pdf"),
                              original_name="budget.pdf", kind="pdf", size=len(paper))
    response = client_for("anonymous").get(f"/governance/meetings/{world.meeting_x.pk}/pack.pdf")
    keep("pack.pdf", response.content)
    assert "Attached inside this PDF as “budget.pdf”" in text_of(response)
    assert "/EmbeddedFiles" in pdf_objects(response.content) and "budget.pdf" in pdf_objects(response.content)


def fetch_pdf_paper(client_for):
    from reports.pdf import write_pdf

    return write_pdf("<html lang='en-GB'><head><title>Budget</title></head><body><h1>Budget</h1></body></html>")


def test_the_exempt_pack_is_marked_on_every_page_and_kept_from_outsiders(personas, client_for):
    world = build_world(personas)
    url = f"/governance/meetings/{world.meeting_x.pk}/pack-exempt.pdf"
    for persona in ("chair", "officer", "admin"):
        response = client_for(persona).get(url)
        keep("pack-exempt.pdf", response.content)
        pages = pdf_text(response.content)
        assert all("Not for publication: Local Government Act 1972, Schedule 12A, paragraph 3" in squash(p)
                   for p in pages)
        assert CANARY_EXEMPT in squash(" ".join(pages))
    for persona in ("school_leader", "trust_leader"):
        assert client_for(persona).get(url).status_code == 404
    assert "/accounts/login/" in client_for("anonymous").get(url)["Location"]


def test_the_pack_is_a_tagged_pdf_with_a_title(personas, client_for):
    world = build_world(personas)
    response = client_for("anonymous").get(f"/governance/meetings/{world.meeting_x.pk}/pack.pdf")
    info = pdf_info(response.content)
    assert info["Tagged"].strip() == "yes" and info["Title"].strip().startswith("Board pack:")


def test_image_papers_are_printed_and_the_meeting_page_links_the_packs(personas, client_for):
    import io

    from PIL import Image

    from governance.models import Attachment

    world = build_world(personas)
    png = io.BytesIO()
    Image.new("RGB", (40, 20), "navy").save(png, format="PNG")
    Attachment.objects.create(agenda_item=world.item_x_public, file=ContentFile(png.getvalue(), name="chart.png"),
                              original_name="chart.png", kind="png", size=len(png.getvalue()))
    response = client_for("anonymous").get(f"/governance/meetings/{world.meeting_x.pk}/pack.pdf")
    assert "Paper: chart.png" in text_of(response)
    assert "/Alt (Paper: chart.png)" in pdf_objects(response.content)

    url = f"/governance/meetings/{world.meeting_x.pk}/"
    public = client_for("anonymous").get(url).content.decode()
    assert "pack.pdf" in public and "pack-exempt.pdf" not in public
    assert "pack-exempt.pdf" in client_for("officer").get(url).content.decode()
