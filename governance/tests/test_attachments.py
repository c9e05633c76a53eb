import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from governance.attachments import check_name, check_upload
from governance.models import AgendaItem, Attachment

from . import factories

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd.pdf",
        "..\\board.pdf",
        "papers/board.pdf",
        "/tmp/x.pdf",
        "C:\\Users\\chair\\board.pdf",
        ".hidden.pdf",
        "a\x00.pdf",
    ],
)
def test_it_refuses_a_path_in_the_file_name(name):
    with pytest.raises(ValidationError) as exc:
        check_name(name)
    assert "must not contain a folder path" in exc.value.messages[0]


@pytest.mark.parametrize("name", ["report.exe", "macro.docm", "page.html", "image.svg", "script.js", "noextension"])
def test_it_refuses_a_file_of_the_wrong_type(name):
    with pytest.raises(ValidationError) as exc:
        check_upload(upload(name, b"hello"))
    assert "PDF, Word (.docx), Excel (.xlsx), CSV, plain text, PNG or JPEG" in exc.value.messages[0]


def test_it_refuses_a_file_that_is_too_large(settings):
    settings.GOVERNANCE_ATTACHMENT_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as exc:
        check_upload(upload("board.pdf", PDF + b"x" * 2000))
    assert "attachments must be 1.0\xa0KB or smaller" in exc.value.messages[0]


def test_it_refuses_contents_that_do_not_match_the_name():
    with pytest.raises(ValidationError) as exc:
        check_upload(upload("board.pdf", b"MZ\x90\x00 this is a program"))
    assert "is named .pdf but its contents are not a PDF" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        check_upload(upload("notes.txt", b"\x00\x01\x02binary"))


def test_it_accepts_the_allowed_types():
    assert check_upload(upload("board.pdf", PDF)) == "pdf"
    assert check_upload(upload("figures.csv", b"school,pupils\nAshby,200\n")) == "csv"
    assert check_upload(upload("photo.JPEG", b"\xff\xd8\xff\xe0 jfif")) == "jpg"
    assert check_upload(upload("plan.docx", b"PK\x03\x04 zip")) == "docx"


def multipart(filename, content):
    """A multipart body with the file name exactly as given (the test client would strip folders)."""
    boundary = "pepboundary7d1"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="attachment-file"; filename="{filename}"\r\n'
            f"Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "filename", ["../../etc/board.pdf", "..\\..\\board.pdf", "papers/board.pdf", "..&#x2F;board.pdf"]
)
def test_it_refuses_an_upload_whose_name_carries_a_path(client, personas, filename):
    g = factories.group(chair=personas.chair)
    m = factories.meeting(g)
    item = AgendaItem.objects.create(meeting=m, order=1, title="Budget")
    client.force_login(personas.chair)
    body, content_type = multipart(filename, PDF)
    response = client.generic(
        "POST", f"/governance/manage/meetings/{m.pk}/items/{item.pk}/attachments/", body, content_type=content_type
    )
    assert response.status_code == 400
    assert "The file name must not contain a folder path" in response.text
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_it_stores_an_upload_under_a_generated_name_and_shows_refusals_on_the_page(client, personas):
    g = factories.group(chair=personas.chair)
    m = factories.meeting(g)
    item = AgendaItem.objects.create(meeting=m, order=1, title="Budget")
    client.force_login(personas.chair)
    url = f"/governance/manage/meetings/{m.pk}/items/{item.pk}/attachments/"

    response = client.post(url, {"attachment-file": upload("virus.exe", b"MZ")})
    assert response.status_code == 400
    assert "There is a problem" in response.text and "“.exe” files cannot be attached" in response.text
    assert not Attachment.objects.exists()

    response = client.post(url, {"attachment-file": upload("Board budget.pdf", PDF)})
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.original_name == "Board budget.pdf" and attachment.kind == "pdf"
    assert attachment.file.name.startswith("governance/attachments/") and "budget" not in attachment.file.name
    assert attachment.file.name.endswith(".pdf")

    download = client.get(attachment.get_absolute_url())
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert 'filename="Board budget.pdf"' in download["Content-Disposition"]
