"""The demo's sign-ins, one per role, printed by load_demo (and so by `make run`).

Found in the database, not assumed: a role whose demo user is missing is said to be missing, and a
password changed since the demo was loaded is not printed."""

import os

from django.contrib.auth import get_user_model
from django.db.models import Count, Q

from .roles import Role

DOMAIN = "demo.example.org"
ADMIN_PASSWORD = ("DEMO_ADMIN_PASSWORD", "demo-admin-password-2026")
CHAIR_PASSWORD = ("DEMO_CHAIR_PASSWORD", "demo-chair-password-2026")
TRUST_LEADER_EMAIL = f"trust.leader@{DOMAIN}"


def _password(source):
    return os.environ.get(*source)


def admin_password():
    """The demo admin's and demo staff's password (DEMO_ADMIN_PASSWORD, or the printed default)."""
    return _password(ADMIN_PASSWORD)


def chair_password():
    """The demo subgroup chairs' password (DEMO_CHAIR_PASSWORD, or the printed default)."""
    return _password(CHAIR_PASSWORD)


def ensure_trust_leader():
    """A demo trust leader for the trust with the most open schools in the partnership (idempotent)."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.models import Group

    from schools.models import School, Trust

    User = get_user_model()
    if User.objects.filter(username=TRUST_LEADER_EMAIL).exists():
        return
    partnership = School.objects.partnership().filter(status=School.Status.OPEN)
    trust = (Trust.objects.annotate(n=Count("school_links", filter=Q(school_links__left_on=None,
                                                                    school_links__school__in=partnership)))
             .filter(n__gt=0).order_by("-n", "name").first())
    if trust is None:
        return
    user = User.objects.create_user(username=TRUST_LEADER_EMAIL, email=TRUST_LEADER_EMAIL, first_name="Taylor",
                                    last_name="Trustlead", password=_password(ADMIN_PASSWORD))
    user.groups.add(Group.objects.get(name=Role.TRUST_LEADER))
    EmailAddress.objects.create(user=user, email=TRUST_LEADER_EMAIL, primary=True, verified=True)
    trust.leaders.add(user)


def personas():
    """(role, user or None, what they see, password source) for each role the demo has."""
    User = get_user_model()
    demo = User.objects.filter(email__endswith=f"@{DOMAIN}", is_active=True).order_by("email")
    return [
        ("Partnership admin", demo.filter(is_superuser=True).first() or demo.filter(
            groups__name=Role.PARTNERSHIP_ADMIN).first(), "everything, set-up, imports", ADMIN_PASSWORD),
        ("LA officer", demo.filter(groups__name=Role.LA_OFFICER).first(), "every school's dashboard", ADMIN_PASSWORD),
        ("School leader", demo.filter(groups__name=Role.SCHOOL_LEADER, led_schools__isnull=False).first(),
         "their school's dashboard and support", ADMIN_PASSWORD),
        ("Trust leader", demo.filter(groups__name=Role.TRUST_LEADER, led_trusts__isnull=False).first(),
         "their trust's schools", ADMIN_PASSWORD),
        ("Subgroup chair", demo.filter(groups__name=Role.SUBGROUP_CHAIR).first(), "their group's minutes",
         CHAIR_PASSWORD),
    ]


def lines():
    out = ["Demo sign-ins (officers and admins set up two-factor authentication at first sign-in):"]
    for role, user, sees, source in personas():
        if user is None:
            out.append(f"  {role:<18} none in the demo data")
            continue
        password = _password(source)
        shown = password if user.check_password(password) else f"(changed since; not {source[0]})"
        out.append(f"  {role:<18} {user.email:<34} password: {shown}  ({sees})")
    return out
