"""Checks on a news image before it is stored: a PNG, JPEG, GIF or WebP by its first bytes, not its name."""

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

MAX_BYTES = 5 * 1024 * 1024
# extension -> (content type, leading bytes)
KINDS = {
    "png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    "jpg": ("image/jpeg", b"\xff\xd8\xff"),
    "gif": ("image/gif", b"GIF8"),
    "webp": ("image/webp", b"RIFF"),
}


def kind_of(head):
    for ext, (_, magic) in KINDS.items():
        if head.startswith(magic) and (ext != "webp" or head[8:12] == b"WEBP"):
            return ext
    return None


def check_image(upload):
    """Returns the extension to store the image under, or raises ValidationError saying what is wrong."""
    if upload.size == 0:
        raise ValidationError("The image file is empty.")
    if upload.size > MAX_BYTES:
        raise ValidationError(
            f"The image is {filesizeformat(upload.size)}; images must be {filesizeformat(MAX_BYTES)} or smaller."
        )
    upload.seek(0)
    ext = kind_of(upload.read(16))
    upload.seek(0)
    if ext is None:
        raise ValidationError("The image must be a PNG, JPEG, GIF or WebP file.")
    return ext


def content_type(name):
    return KINDS.get(name.rsplit(".", 1)[-1].lower(), ("application/octet-stream", b""))[0]
