"""The refresh's email: each LA officer hears which schools changed priority in the new ratings."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string

from dashboard.models import Priority, SchoolRating
from pep_portal import partnership
from pep_portal.roles import Role


def officer_recipients():
    return list(
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.LA_OFFICER)
        .exclude(email="")
        .distinct()
        .order_by("email")
    )


def priority_changes(run):
    labels = dict(Priority.choices)
    rows = (
        SchoolRating.objects.filter(run=run, changed=True)
        .select_related("school")
        .order_by("priority", "school__name")
    )
    return [
        {
            "name": r.school.name,
            "urn": r.school.urn,
            "before": labels.get(r.previous_priority or "", "Not rated"),
            "after": labels.get(r.priority or "", "Not rated"),
        }
        for r in rows
    ]


def notify_officers(run):
    """Email each LA officer the schools whose priority changed in `run`. Returns emails sent."""
    changes = priority_changes(run)
    if not changes:
        return 0
    recipients = officer_recipients()
    if not recipients:
        return 0
    prefix = f"[{partnership.current().name}] "
    noun = "school" if len(changes) == 1 else "schools"
    subject = f"{prefix}{len(changes)} {noun} changed priority in the ratings refresh"
    context = {
        "changes": changes, "run": run, "site_url": settings.SITE_ROOT,
        "partnership": partnership.current().name,
    }
    messages = []
    for user in recipients:
        body = render_to_string("refresh/refresh_email.txt", {**context, "user": user})
        messages.append(EmailMessage(subject, body, to=[user.email]))
    return get_connection().send_messages(messages) or 0
