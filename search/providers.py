"""One provider per kind of public content. Each reads the same public queryset its public pages
use, so search can never show what those pages would not: exempt items, draft minutes, drafts of
events and strategies, and ratings are not in any of them.

To add a kind (news, say): a class here with @register, kind, label, queryset(), document(obj)
and watch; then `manage.py rebuild_search_index`.
"""

from django.db.models import Prefetch
from django.utils import timezone

from .registry import Doc, Provider, register


def load():
    """Called from SearchConfig.ready(): importing this module registers the providers below."""


def _pks(*values):
    return [v for v in values if v is not None]


@register
class Schools(Provider):
    kind, label = "schools", "Schools"
    watch = {"schools.School": lambda school: _pks(school.pk)}

    def queryset(self):
        from schools.models import School

        return School.objects.partnership().select_related("la")

    def document(self, school):
        parts = [school.phase_name or school.get_phase_display(), school.type_name, school.town]
        summary = ", ".join(p for p in parts if p) + f" (URN {school.urn})"
        if school.status == school.Status.CLOSED:
            summary = f"Closed. {summary}"
        body = " ".join(str(p) for p in (school.urn, school.town, school.postcode, school.la.name, school.type_name) if p)
        return Doc(str(school.pk), school.name, school.get_absolute_url(), summary, body)


@register
class Trusts(Provider):
    kind, label = "trusts", "Trusts"
    watch = {"schools.Trust": lambda trust: _pks(trust.pk)}

    def queryset(self):
        from schools.views import trust_queryset

        return trust_queryset()

    def document(self, trust):
        summary = f"{trust.get_type_display()}, {trust.school_count} school{'s' if trust.school_count != 1 else ''}"
        return Doc(str(trust.pk), trust.name, trust.get_absolute_url(), summary, f"{trust.uid} {trust.companies_house_number}")


@register
class Groups(Provider):
    kind, label = "groups", "Boards and groups"
    watch = {"governance.Group": lambda group: _pks(group.pk)}

    def queryset(self):
        from governance.models import Group

        return Group.objects.visible()

    def document(self, group):
        return Doc(str(group.pk), group.name, group.get_absolute_url(), group.get_kind_display(), group.remit)


@register
class Meetings(Provider):
    """Meetings with their public agenda titles and, once published, their public minutes."""

    kind, label = "meetings", "Meetings and minutes"
    watch = {
        "governance.Meeting": lambda meeting: _pks(meeting.pk),
        "governance.AgendaItem": lambda item: _pks(item.meeting_id),
        "governance.Action": lambda action: _pks(action.meeting_id),
        "governance.Group": lambda group: list(group.meetings.values_list("pk", flat=True)),
    }

    def queryset(self):
        from governance.models import Action, AgendaItem, Meeting

        public_items = AgendaItem.objects.filter(is_exempt=False)
        public_actions = Action.objects.exclude(agenda_item__is_exempt=True)
        return Meeting.objects.visible().select_related("group").prefetch_related(
            Prefetch("items", queryset=public_items, to_attr="public_items"),
            Prefetch("actions", queryset=public_actions, to_attr="public_actions"),
        )

    def document(self, meeting):
        when = timezone.localtime(meeting.starts_at)
        text = [meeting.group.name, meeting.place] + [item.title for item in meeting.public_items]
        if meeting.minutes_are_public:
            text += [f"{item.body} {item.decision}" for item in meeting.public_items]
            text += [action.description for action in meeting.public_actions]
        minutes = "minutes published" if meeting.minutes_are_public else "agenda"
        summary = f"{meeting.group.name}, {when:%-d %B %Y} ({minutes})"
        return Doc(str(meeting.pk), meeting.display_title, meeting.get_absolute_url(), summary,
                   " ".join(t for t in text if t), meeting.starts_at)


# Draft strategies (and so their objectives and targets) are seen only by admins: never indexed.
PUBLISHED_STRATEGY = {"strategy__status": "published"}


@register
class Objectives(Provider):
    kind, label = "objectives", "Strategy objectives"
    watch = {
        "strategy.Objective": lambda objective: _pks(objective.pk),
        "strategy.Goal": lambda goal: _pks(goal.objective_id),
        "strategy.Strategy": lambda strategy: list(strategy.objectives.values_list("pk", flat=True)),
    }

    def queryset(self):
        from strategy.models import Objective

        return Objective.objects.filter(**PUBLISHED_STRATEGY).select_related("strategy", "led_by") \
            .prefetch_related("goals")

    def document(self, objective):
        led = f"; led by {objective.led_by.name}" if objective.led_by else ""
        summary = f"Objective {objective.number} of {objective.strategy.title}{led}"
        body = " ".join([objective.description] + [goal.text for goal in objective.goals.all()])
        return Doc(str(objective.pk), objective.title, objective.get_absolute_url(), summary, body)


@register
class Targets(Provider):
    kind, label = "targets", "Strategy targets"
    watch = {
        "strategy.Target": lambda target: _pks(target.pk),
        "strategy.Strategy": lambda strategy: list(strategy.targets.values_list("pk", flat=True)),
    }

    def queryset(self):
        from strategy.models import Target

        return Target.objects.filter(**PUBLISHED_STRATEGY).select_related("strategy", "objective__strategy",
                                                                               "measure")

    def document(self, target):
        summary = f"Target of {target.strategy.title}, by {target.target_year}/{(target.target_year + 1) % 100:02d}"
        body = target.measure.label if target.measure_id else ""
        return Doc(str(target.pk), target.title, target.get_absolute_url(), summary, body)


@register
class Events(Provider):
    kind, label = "events", "Events"
    watch = {"events.Event": lambda event: _pks(event.pk)}

    def queryset(self):
        from events.models import Event

        return Event.objects.public()

    def document(self, event):
        when = timezone.localtime(event.starts_at)
        summary = f"{event.get_kind_display()}, {when:%-d %B %Y}, {event.location_text}"
        return Doc(str(event.pk), event.title, event.get_absolute_url(), summary,
                   f"{event.summary} {event.description} {event.place}", event.starts_at)


@register
class News(Provider):
    """Published posts whose publish date has come. A post scheduled for later is indexed when its
    date arrives (search.freshness), so a future-dated post is never found before it is public."""

    kind, label = "news", "News"
    watch = {"communications.NewsPost": lambda post: _pks(post.pk)}
    scheduled_by = "published_at"

    def queryset(self):
        from communications.models import NewsPost

        return NewsPost.objects.published()

    def document(self, post):
        when = timezone.localtime(post.published_at)
        body = " ".join(p for p in (post.body, post.tags, post.image_alt if post.image else "") if p)
        return Doc(str(post.pk), post.title, post.get_absolute_url(), f"{when:%-d %B %Y}: {post.summary}",
                   body, post.published_at)
