"""Overdue support items and the emails about them: the nightly digest to officers, reminders to
schools about unanswered questions (the task and `manage.py send_support_reminders`), and the note to
the adviser when a school replies."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone

from pep_portal import partnership
from pep_portal.roles import Role

from .models import NextStep, Question, SupportEvent, SupportSettings, Visit

# Reminders stop a month after the item's term ended: older items stay on the pages, not in inboxes.
REMIND_AFTER_TERM_DAYS = 31


def _recent(today):
    return today - datetime.timedelta(days=REMIND_AFTER_TERM_DAYS)


def overdue_visits(today=None):
    today = today or timezone.localdate()
    return (Visit.objects.overdue(today).filter(plan__term__end__gte=_recent(today))
            .select_related("school", "visitor", "plan__adviser"))


def overdue_next_steps(today=None):
    today = today or timezone.localdate()
    return NextStep.objects.overdue(today).filter(due_date__gte=_recent(today) - datetime.timedelta(days=365)) \
        .select_related("visit__school")


def overdue_questions(today=None):
    today = today or timezone.localdate()
    return Question.objects.filter(status=Question.Status.OPEN, reply_by__lt=today,
                                   term__end__gte=_recent(today)).select_related("school", "term")


# ---- reminders -----------------------------------------------------------------------------------

def officers_to_email():
    User = get_user_model()
    return list(
        User.objects.filter(is_active=True, groups__name=Role.LA_OFFICER).exclude(email="").distinct().order_by("email")
    )


def leaders_of(school):
    User = get_user_model()
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(led_schools=school) | Q(led_trusts__school_links__school=school, led_trusts__school_links__left_on=None))
        .exclude(email="").distinct().order_by("email")
    )


def send_reminders(today=None, stdout=None):
    """Email officers a digest of overdue items, and schools about questions past their reply date."""
    today = today or timezone.localdate()
    config = SupportSettings.get()
    visits = list(overdue_visits(today))
    steps = list(overdue_next_steps(today))
    questions = list(overdue_questions(today))
    site = settings.SITE_ROOT
    sent = {"officer_emails": 0, "school_emails": 0}
    if visits or steps or questions:
        lines = [f"Support items overdue on {today:%-d %B %Y}:", ""]
        if visits:
            lines.append(f"Visits past their planned date ({len(visits)}):")
            lines += [f"- {v.school.name}: planned for {v.planned_date:%-d %B %Y}"
                      f"{', ' + person_name(v.visitor) if v.visitor_id else ''}" for v in visits]
            lines.append("")
        if steps:
            lines.append(f"Next steps past their due date ({len(steps)}):")
            lines += [f"- {s.visit.school.name}: {s.action} ({s.owner}, due {s.due_date:%-d %B %Y})" for s in steps]
            lines.append("")
        if questions:
            lines.append(f"Questions not answered by their reply date ({len(questions)}):")
            lines += [f"- {q.school.name}: reply was due by {q.reply_by:%-d %B %Y}" for q in questions]
            lines.append("")
        lines.append(f"The support page: {site}/dashboard/support/")
        body = "\n".join(lines)
        total = len(visits) + len(steps) + len(questions)
        subject = f"[{partnership.current().name}] Support: {total} overdue item{'s' if total != 1 else ''}"
        for user in officers_to_email():
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
            sent["officer_emails"] += 1
    interval = datetime.timedelta(days=config.reminder_interval_days)
    now = timezone.now()
    for q in questions:
        if q.last_reminded_at and now - q.last_reminded_at < interval:
            continue
        recipients = [u.email for u in leaders_of(q.school)]
        if not recipients:
            continue
        body = "\n".join([
            f"The partnership asked {q.school.name} a question on {q.opened_at:%-d %B %Y} and has not had a reply.",
            f"The reply was due by {q.reply_by:%-d %B %Y}.",
            "",
            f"Please reply in the portal: {site}/dashboard/support/questions/{q.pk}/",
        ])
        send_mail(f"[{partnership.current().name}] A question is waiting for your reply", body,
                  settings.DEFAULT_FROM_EMAIL, recipients)
        q.last_reminded_at = now
        q.save(update_fields=["last_reminded_at"])
        SupportEvent.objects.create(school=q.school, term=q.term, kind=SupportEvent.Kind.REMINDER,
                                    text=f"Reminder sent to {len(recipients)} leader{'s' if len(recipients) != 1 else ''}.")
        sent["school_emails"] += 1
    result = {"visits": len(visits), "next_steps": len(steps), "questions": len(questions), **sent}
    if stdout is not None:
        stdout.write(
            f"support reminders: {result['visits']} visits, {result['next_steps']} next steps and "
            f"{result['questions']} questions overdue; {result['officer_emails']} officer emails, "
            f"{result['school_emails']} school emails sent"
        )
    return result


def person_name(user):
    return user.get_full_name() or user.email or user.username


def notify_reply(question, author):
    """Tell the school's adviser (else the LA officers) that a school replied: the question waits to be closed."""
    plan = question.plan
    recipients = [plan.adviser.email] if plan and plan.adviser_id and plan.adviser.email else [
        u.email for u in officers_to_email()]
    if not recipients:
        return 0
    site = settings.SITE_ROOT
    body = "\n".join([
        f"{person_name(author)} replied for {question.school.name} to the question of {question.opened_at:%-d %B %Y}.",
        "",
        f"Read the reply and close the question: {site}/dashboard/support/questions/{question.pk}/",
    ])
    send_mail(f"[{partnership.current().name}] {question.school.name} replied to a question", body,
              settings.DEFAULT_FROM_EMAIL, recipients)
    return len(recipients)
