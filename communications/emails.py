"""The emails this app sends: the bulletin (HTML and plain text, with one-click unsubscribe) and the
subscription confirmation. Links are absolute, built on settings.SITE_ROOT, as a mail has no host."""

import re

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from governance.markdown import render_markdown

# Stands in for each recipient's own unsubscribe address in the rendered bulletin, so the templates
# are rendered once per bulletin, not once per recipient.
UNSUBSCRIBE_SLOT = "pep-unsubscribe-url-slot"
CONFIRM_SALT = "communications.bulletin.confirm"
CONFIRM_MAX_AGE = 7 * 24 * 3600
MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\((\S+?)\)")


def absolute(path):
    return settings.SITE_ROOT + path


def unsubscribe_url(token):
    return absolute(reverse("bulletin:unsubscribe", kwargs={"token": token}))


def plain_text(markdown_text):
    """The plain-text part: the Markdown as written, with each link as "text (address)"."""
    return MARKDOWN_LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})", markdown_text).strip()


def bulletin_context(bulletin):
    return {
        "bulletin": bulletin,
        "body_html": render_markdown(bulletin.body),
        "body_text": plain_text(bulletin.body),
        "archive_url": absolute(reverse("bulletin:archive")),
        "issue_url": absolute(reverse("bulletin:issue", kwargs={"pk": bulletin.pk})),
        "unsubscribe_url": UNSUBSCRIBE_SLOT,
        "partnership_name": settings.PARTNERSHIP_NAME,
    }


def bulletin_parts(bulletin):
    context = bulletin_context(bulletin)
    return {
        "subject": f"{settings.PARTNERSHIP_NAME} bulletin: {bulletin.subject}",
        "text": render_to_string("communications/email/bulletin.txt", context),
        "html": render_to_string("communications/email/bulletin.html", context),
    }


def bulletin_message(parts, email, token, connection=None):
    url = unsubscribe_url(token)
    message = EmailMultiAlternatives(
        parts["subject"],
        parts["text"].replace(UNSUBSCRIBE_SLOT, url),
        settings.DEFAULT_FROM_EMAIL,
        [email],
        connection=connection,
        headers={
            # RFC 2369 and RFC 8058: mail programs offer their own unsubscribe button, which POSTs here.
            "List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Precedence": "bulk",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(parts["html"].replace(UNSUBSCRIBE_SLOT, url), "text/html")
    return message


def confirm_token(subscriber):
    return signing.dumps(subscriber.token, salt=CONFIRM_SALT)


def subscriber_token_from(signed):
    """The subscriber token in a confirmation link, or None if the link is forged or over a week old."""
    try:
        return signing.loads(signed, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:
        return None


def send_confirmation(subscriber):
    """The same email whether the address is new, waiting or already subscribed."""
    context = {
        "confirm_url": absolute(reverse("bulletin:confirm", kwargs={"token": confirm_token(subscriber)})),
        "partnership_name": settings.PARTNERSHIP_NAME,
    }
    EmailMultiAlternatives(
        f"Confirm your subscription to the {settings.PARTNERSHIP_NAME} bulletin",
        render_to_string("communications/email/confirm.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [subscriber.email],
    ).send()
