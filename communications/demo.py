"""Demo news and bulletin for the fictional partnership: a dozen posts over the last three months,
40 confirmed subscribers, two bulletins already sent (with each recipient's result) and a draft built
by the editor's own pre-fill. Idempotent: posts, subscribers and bulletins are looked up by their keys.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from . import compose
from .models import Bulletin, Delivery, NewsPost, Subscriber

# slug, title, summary, tags, body
POSTS = [
    ("autumn-conference-2026", "Annual conference: belonging and attendance",
     "Our annual conference brings every school together on belonging, attendance and inclusion.",
     "conference, attendance",
     "The conference is for headteachers, governors, SENCOs and attendance leads.\n\n"
     "- keynote on belonging and attendance\n- workshops led by our own schools\n- the year's progress against the strategy"),
    ("new-teachers-welcome", "A welcome for 140 new teachers",
     "Early career teachers from across the partnership met their mentors at the welcome evening.",
     "recruitment, early career teachers",
     "Schools and trusts welcomed this year's early career teachers. **Mentors** from every phase shared "
     "what helped them in their first year."),
    ("persistent-absence-plan", "Persistent absence: what schools are trying",
     "Five schools share what has cut persistent absence in their communities.",
     "attendance",
     "Persistent absence is one of the strategy's headline targets. The attendance subgroup collected what "
     "worked: early calls home, breakfast clubs, and a named adult for every pupil at risk."),
    ("phonics-network-relaunch", "Early reading network relaunched",
     "The early reading network meets again each half term, open to every primary school.",
     "early reading, networks",
     "The network shares phonics practice and the **year 1 check** results across schools."),
    ("send-inclusion-toolkit", "Inclusion toolkit for SEND support",
     "A practical toolkit written by SENCOs for ordinary classroom adjustments.",
     "SEND, inclusion",
     "The inclusion subgroup published a toolkit of adjustments that cost little and help many pupils."),
    ("governor-training-dates", "Governor training dates for the spring term",
     "Six sessions for new and experienced governors, online and in person.",
     "governance, training",
     "Sessions cover the role of the board, finance, safeguarding and using the performance dashboard."),
    ("ks2-results-summary", "Key stage 2 results: the partnership's picture",
     "Reading, writing and maths at the expected standard rose again this year.",
     "results, key stage 2",
     "The strategy's scorecard shows progress against each target, with national comparison."),
    ("recruitment-fair-march", "Recruitment fair in March",
     "Schools and trusts meet trainee teachers from our partner universities.",
     "recruitment",
     "Stands are free for partnership schools. Book through the recruitment subgroup."),
    ("wellbeing-week", "Staff wellbeing week",
     "Ideas from schools that protect staff time and reduce workload.",
     "wellbeing",
     "Schools shared their marking and meeting policies, and how they plan for quieter weeks."),
    ("transition-project", "Year 6 to year 7: the transition project",
     "Primary and secondary schools align their transition days and share pupil information earlier.",
     "transition",
     "The project runs in three clusters this year and reports to the Strategic Board in the summer."),
    ("maths-hub-partnership", "Working with the maths hub",
     "Teaching for mastery places for twelve more schools.",
     "maths, networks",
     "Schools in the programme get release time and a specialist lead."),
    ("board-priorities-2027", "The Strategic Board's priorities for next year",
     "The board agreed to keep attendance and early reading as its top two priorities.",
     "governance, strategy",
     "Minutes of the meeting are published on the governance pages."),
]


def _posts(now):
    for i, (slug, title, summary, tags, body) in enumerate(POSTS):
        NewsPost.objects.get_or_create(slug=slug, defaults={
            "title": title, "summary": summary, "tags": tags, "body": body, "status": NewsPost.Status.PUBLISHED,
            "published_at": now - datetime.timedelta(days=3 + i * 7, hours=i),
        })


def _subscribers(now):
    for i in range(40):
        Subscriber.objects.get_or_create(email=f"reader{i + 1:02}@demo.example.org", defaults={
            "status": Subscriber.Status.ACTIVE, "confirmed_at": now - datetime.timedelta(days=90 - i),
        })


def _sent(subject, body, sent_at):
    """A bulletin already sent, with the result recorded for every subscriber of the time."""
    bulletin, created = Bulletin.objects.get_or_create(subject=subject, defaults={
        "body": body, "status": Bulletin.Status.SENT, "queued_at": sent_at, "sent_at": sent_at,
    })
    if created:
        active = Subscriber.objects.filter(status=Subscriber.Status.ACTIVE)
        Delivery.objects.bulk_create([
            Delivery(bulletin=bulletin, subscriber=s, email=s.email, state=Delivery.State.SENT, attempts=1,
                     claimed_at=sent_at, finished_at=sent_at) for s in active
        ])
        bulletin.recipients = active.count()
        bulletin.save(update_fields=["recipients"])


def load(stdout=None):
    now = timezone.now()
    with transaction.atomic():
        _posts(now)
        _subscribers(now)
        for weeks in (2, 1):
            sent_at = now - datetime.timedelta(weeks=weeks)
            subject, body = compose.draft(now=sent_at)
            _sent(f"Partnership bulletin, {sent_at:%-d %B %Y}", body, sent_at)
        if not Bulletin.objects.filter(status=Bulletin.Status.DRAFT).exists():
            subject, body = compose.draft(now=now)
            Bulletin.objects.create(subject=subject, body=body)
    if stdout:
        stdout.write(f"News: {NewsPost.objects.count()} posts; bulletin: "
                     f"{Subscriber.objects.filter(status=Subscriber.Status.ACTIVE).count()} subscribers, "
                     f"{Bulletin.objects.filter(status=Bulletin.Status.SENT).count()} sent, "
                     f"{Bulletin.objects.filter(status=Bulletin.Status.DRAFT).count()} draft.")
