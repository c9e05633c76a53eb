"""load_demo (and so `make run`) prints a sign-in for every role the demo has, found in the database."""

from conftest import make_user
from pep_portal import demo_personas


def test_every_role_is_printed_with_its_password_or_said_to_be_missing(db, monkeypatch):
    monkeypatch.delenv("DEMO_ADMIN_PASSWORD", raising=False)
    from dashboard.tests import factories as f

    admin = make_user("admin@demo.example.org", ["Partnership admin"], superuser=True)
    admin.set_password("demo-admin-password-2026")
    admin.save()
    make_user("sam.adviser@demo.example.org", ["LA officer"])  # conftest's password: not the demo's
    head = make_user("head.1@demo.example.org", ["School leader"])
    head.set_password("demo-admin-password-2026")
    head.save()
    f.school("Led Primary").leaders.add(head)
    make_user("no.school@demo.example.org", ["School leader"])
    text = "\n".join(demo_personas.lines())
    assert "admin@demo.example.org" in text and "password: demo-admin-password-2026" in text
    assert "sam.adviser@demo.example.org" in text and "(changed since; not DEMO_ADMIN_PASSWORD)" in text
    assert "head.1@demo.example.org" in text and "no.school@" not in text
    assert "Trust leader       none in the demo data" in text and "Subgroup chair     none in the demo data" in text


def test_a_trust_leader_is_made_for_the_largest_trust(db):
    from dashboard.tests import factories as f
    from schools.models import Trust, TrustLink

    trust = Trust.objects.create(uid=4001, name="Alder Trust", type=Trust.Type.MAT)
    for name in ("One", "Two"):
        TrustLink.objects.create(trust=trust, school=f.school(name))
    demo_personas.ensure_trust_leader()
    demo_personas.ensure_trust_leader()
    assert list(trust.leaders.values_list("email", flat=True)) == ["trust.leader@demo.example.org"]
    assert "trust.leader@demo.example.org" in "\n".join(demo_personas.lines())
