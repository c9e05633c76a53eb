"""Checks on an uploaded attachment before anything is stored.

The file must be one of a short list of document and image types, no larger than the limit, with a
plain file name (no folders), and its first bytes must match the type its name claims.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

# extension -> (description, allowed leading bytes or None for text)
ALLOWED_TYPES = {
    "pdf": ("PDF", (b"%PDF-",)),
    "docx": ("Word document", (b"PK\x03\x04",)),
    "xlsx": ("Excel spreadsheet", (b"PK\x03\x04",)),
    "csv": ("CSV file", None),
    "txt": ("text file", None),
    "png": ("PNG image", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("JPEG image", (b"\xff\xd8\xff",)),
    "jpeg": ("JPEG image", (b"\xff\xd8\xff",)),
}
ALLOWED_LIST = "PDF, Word (.docx), Excel (.xlsx), CSV, plain text, PNG or JPEG"


def max_bytes():
    return settings.GOVERNANCE_ATTACHMENT_MAX_BYTES


def check_name(name):
    """Return (clean name, extension) or raise ValidationError with a message for the uploader."""
    if not name or not name.strip():
        raise ValidationError("The file has no name. Choose a file to upload.")
    if "/" in name or "\\" in name or ".." in name or "\x00" in name or name.startswith("."):
        raise ValidationError(
            "The file name must not contain a folder path (/, \\ or ..). Rename the file and upload it again."
        )
    if len(name) > 150:
        raise ValidationError("The file name must be 150 characters or fewer.")
    if "." not in name:
        raise ValidationError(f"The file must be a {ALLOWED_LIST} file.")
    ext = name.rsplit(".", 1)[1].lower()
    if ext not in ALLOWED_TYPES:
        raise ValidationError(f"“.{ext}” files cannot be attached. The file must be a {ALLOWED_LIST} file.")
    return name.strip(), ext


def check_upload(upload):
    """Validate a Django UploadedFile; returns its extension."""
    name, ext = check_name(upload.name)
    limit = max_bytes()
    if upload.size == 0:
        raise ValidationError("The file is empty.")
    if upload.size > limit:
        raise ValidationError(
            f"The file is {filesizeformat(upload.size)}; attachments must be {filesizeformat(limit)} or smaller."
        )
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    description, magic = ALLOWED_TYPES[ext]
    if magic is None:
        if b"\x00" in head:
            raise ValidationError(f"The file is named .{ext} but is not a {description}.")
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            # A multi-byte character cut at the end of the sample is fine.
            if exc.start < len(head) - 4:
                raise ValidationError(f"The {description} must be saved as UTF-8 text.") from None
    elif not head.startswith(magic):
        raise ValidationError(f"The file is named .{ext} but its contents are not a {description}.")
    return "jpg" if ext == "jpeg" else ext
