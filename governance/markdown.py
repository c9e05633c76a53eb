"""The one way Markdown becomes HTML in this app: rendered, then cleaned against an allow-list.

Markdown passes raw HTML through, so everything the renderer produces goes through nh3: only the
tags and attributes below survive; scripts, event handlers, style attributes, SVG, images and any
URL that is not http(s) or mailto are removed.
"""

import markdown as md
import nh3
from django.utils.safestring import mark_safe

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "strong",
    "em",
    "b",
    "i",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h3",
    "h4",
    "h5",
    "h6",
    "abbr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
URL_SCHEMES = {"http", "https", "mailto"}
# GOV.UK typography for the cleaned tags (set by the cleaner, never taken from the author).
CLASSES = {
    "p": {"class": "govuk-body"},
    "a": {"class": "govuk-link"},
    "ul": {"class": "govuk-list govuk-list--bullet"},
    "ol": {"class": "govuk-list govuk-list--number"},
    "h3": {"class": "govuk-heading-s"},
    "h4": {"class": "govuk-heading-s"},
    "table": {"class": "govuk-table"},
    "tr": {"class": "govuk-table__row"},
    "th": {"class": "govuk-table__header"},
    "td": {"class": "govuk-table__cell"},
}
EXTENSIONS = ["tables", "sane_lists"]


def clean_html(html):
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        set_tag_attribute_values=CLASSES,
        strip_comments=True,
    )


def render_markdown(text):
    """Markdown text -> safe HTML for a template (empty string for empty text)."""
    if not text or not text.strip():
        return mark_safe("")
    # Headings in a body sit below the item's own heading: "# x" becomes h3 at most.
    html = md.markdown(text, extensions=EXTENSIONS, output_format="html")
    html = html.replace("<h1>", "<h3>").replace("</h1>", "</h3>").replace("<h2>", "<h3>").replace("</h2>", "</h3>")
    return mark_safe(clean_html(html))  # noqa: S308 - cleaned by nh3 just above
