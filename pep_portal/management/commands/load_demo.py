"""Builds the demo partnership: a demo admin, then each app's demo data through its real pipeline."""

import importlib

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand

from pep_portal import demo_personas

# Order matters: the register first, then performance data, ratings, support, governance, strategy,
# news and the bulletin, events; the search index last, over everything public.
DEMO_STEPS = ("schools.demo", "dashboard.demo", "support.demo", "governance.demo", "strategy.demo", "communications.demo",
              "events.demo", "search.demo")

DEMO_ADMIN_EMAIL = "admin@demo.example.org"


class Command(BaseCommand):
    help = "Create the demo partnership (idempotent): demo admin, register, data, ratings, governance, strategy."

    def handle(self, *args, **options):
        password = demo_personas.admin_password()
        admin, created = User.objects.get_or_create(
            username=DEMO_ADMIN_EMAIL,
            defaults={"email": DEMO_ADMIN_EMAIL, "is_staff": True, "is_superuser": True, "first_name": "Demo",
                      "last_name": "Admin"},
        )
        if created:
            admin.set_password(password)
            admin.save()
            admin.groups.add(Group.objects.get(name="Partnership admin"))
            from allauth.account.models import EmailAddress

            EmailAddress.objects.get_or_create(user=admin, email=DEMO_ADMIN_EMAIL, primary=True, verified=True)
        for step in DEMO_STEPS:
            importlib.import_module(step).load(stdout=self.stdout)
        demo_personas.ensure_trust_leader()
        self.stdout.write(self.style.SUCCESS("Demo partnership ready."))
        for line in demo_personas.lines():
            self.stdout.write(line)
