"""The set-up task list: from an empty portal to a rated dashboard, each task's status read from the data.

GOV.UK "complete multiple tasks" pattern: a task is not started, in progress, done, or cannot start
yet (it needs an earlier one). Nothing here is stored: the list is worked out afresh on each view."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.shortcuts import render
from django.urls import reverse

from .partnership import current
from .roles import Role, admin_only

NOT_STARTED, IN_PROGRESS, DONE, CANNOT_START = "Not started", "In progress", "Done", "Cannot start yet"
PENDING_IMPORT = ("previewed", "queued", "running")


@dataclass
class Task:
    key: str
    title: str
    hint: str
    url: str
    status: str

    @property
    def done(self):
        return self.status == DONE


def _imports(kinds):
    from schools.models import ImportRecord

    records = ImportRecord.objects.filter(kind__in=kinds)
    return records.filter(status="done").values_list("kind", flat=True).distinct(), \
        records.filter(status__in=PENDING_IMPORT).exists()


def import_status(kinds, *, all_needed=False, ready=True):
    if not ready:
        return CANNOT_START
    done, pending = _imports(kinds)
    done = set(done)
    if done and (not all_needed or done >= set(kinds)):
        return DONE
    return IN_PROGRESS if done or pending else NOT_STARTED


def performance_kinds():
    from schools.imports.profiles import KINDS

    return [kind for kind in KINDS if kind != "ofsted"] + ["school_information", "ks4_mats"]


def settings_status():
    return DONE if current().saved else NOT_STARTED


def rule_set_status():
    from dashboard.models import RuleSet

    if RuleSet.objects.live().exists():
        return DONE
    return IN_PROGRESS if RuleSet.objects.exists() else NOT_STARTED


def rating_status(ready):
    from dashboard.models import CurrentRun
    from refresh.models import RefreshRun

    if CurrentRun.get() is not None:
        return DONE
    if not ready:
        return CANNOT_START
    return IN_PROGRESS if RefreshRun.objects.active().exists() else NOT_STARTED


def invite_status():
    others = get_user_model().objects.filter(is_active=True, is_superuser=False).exclude(
        groups__name=Role.PARTNERSHIP_ADMIN)
    if others.filter(last_login__isnull=False).exists():
        return DONE
    return IN_PROGRESS if others.exists() else NOT_STARTED


def tasks():
    from schools.models import School

    has_schools = School.objects.partnership().exists()
    performance = import_status(performance_kinds(), ready=has_schools)
    upload = reverse("imports:upload")
    return [
        Task("settings", "Partnership settings", "Name, local authority codes, contact details",
             reverse("partnership_settings") + "?then=setup", settings_status()),
        Task("register", "School register", "The GIAS establishment extract for your local authorities",
             upload + "#step-register", import_status(["gias_establishments"])),
        Task("trusts", "Trusts", "GIAS all groups, then group links",
             upload + "#step-trusts",
             import_status(["gias_groups", "gias_group_links"], all_needed=True, ready=has_schools)),
        Task("performance", "Performance files", "KS2, KS4, absence and census from the performance tables",
             upload + "#step-performance", performance),
        Task("ofsted", "Ofsted inspections", "The state-funded schools inspections file",
             upload + "#step-ofsted", import_status(["ofsted"], ready=has_schools)),
        Task("rules", "Rating rules", "Check the bands each measure is rated by",
             reverse("dashboard:rules"), rule_set_status()),
        Task("ratings", "First rating run", "Rate every school and see the dashboard",
             reverse("refresh:history"), rating_status(performance == DONE)),
        Task("users", "Invite users", "Officers, school and trust leaders, chairs",
             reverse("admin:auth_user_invite"), invite_status()),
    ]


def is_complete():
    return all(task.done for task in tasks())


@admin_only
def setup_page(request):
    from refresh.models import RefreshRun

    items = tasks()
    return render(request, "pep_portal/setup.html", {
        "tasks": items, "done": sum(t.done for t in items), "total": len(items),
        "ratings_ready": next(t for t in items if t.key == "ratings").status != CANNOT_START,
        "active_run": RefreshRun.objects.active().order_by("-created_at").first(),
    })
