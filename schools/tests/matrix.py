"""Register objects for the shared world, and every schools/imports URL with the status each persona gets.

world.school_a: an open primary academy in LA 899 (settings.PARTNERSHIP_LA_CODES), led by the
school_leader persona and in world.trust_a (a multi-academy trust led by the trust_leader persona);
world.school_b: another LA 899 school, linked to nobody; world.la: LA 899;
world.import_record: a previewed GIAS import with a warning, for the admin import pages.
"""

import datetime

from tests.world import Route

PERSONAS = ("anonymous", "school_leader", "trust_leader", "chair", "officer", "admin")
PUBLIC = {p: 200 for p in PERSONAS}
ADMIN_ONLY = {"anonymous": "login", "school_leader": 404, "trust_leader": 404, "chair": 404, "officer": 404,
              "admin": 200}


def setup(world):
    from django.conf import settings

    from schools.models import Governance, ImportRecord, LocalAuthority, Phase, School, Trust, TrustLink

    code = settings.PARTNERSHIP_LA_CODES[0]
    world.la, _ = LocalAuthority.objects.get_or_create(code=code, defaults={"name": "Northbridge"})
    world.school_a = School.objects.create(
        urn=900001, la=world.la, establishment_number="2001", name="Alder Street Primary Academy",
        type_name="Academy converter", type_group="Academies", governance=Governance.ACADEMY, phase=Phase.PRIMARY,
        phase_name="Primary", low_age=4, high_age=11, pupils=420, capacity=420, fsm_percent=23.5,
        ofsted_rating="Good", ofsted_date=datetime.date(2023, 3, 14), postcode="NB1 2AA", town="Northbridge",
    )
    world.school_b = School.objects.create(
        urn=900002, la=world.la, establishment_number="4001", name="Birch Lane Community School",
        type_name="Community school", type_group="Local authority maintained schools",
        governance=Governance.LA_MAINTAINED, phase=Phase.SECONDARY, phase_name="Secondary", low_age=11,
        high_age=16, pupils=950, ofsted_rating="Requires improvement", ofsted_date=datetime.date(2022, 6, 1),
        postcode="NB3 4BB", town="Northbridge",
    )
    world.trust_a = Trust.objects.create(uid=990001, name="Northbridge Learning Trust", type=Trust.Type.MAT,
                                         companies_house_number="09999999", status="Open")
    TrustLink.objects.create(trust=world.trust_a, school=world.school_a, joined_on=datetime.date(2016, 9, 1))
    world.school_a.leaders.add(world.personas.school_leader)
    world.trust_a.leaders.add(world.personas.trust_leader)
    world.import_record = ImportRecord.objects.create(
        user=world.personas.admin, source="web", file_name="edubasealldata20250101.csv", sha256="0" * 64,
        size=1234, kind="gias_establishments", status=ImportRecord.Status.PREVIEWED, rows_read=3, rows_skipped=1,
        message="3 rows read; 1 new, 1 changed, 0 unchanged; 1 skipped; 1 warnings",
        report={"kind_label": "GIAS establishment extract", "encoding": "utf-8", "columns": 30, "new": 1,
                "changed": 1, "unchanged": 0, "skipped": 1, "warnings_total": 1,
                "warning_counts": {"outside_partnership": 1},
                "warnings": [{"row": 4, "column": "LA (code)", "message": "URN 1 is in LA 123, outside the partnership",
                              "code": "outside_partnership"}],
                "rows": [{"row": 2, "key": "900003", "label": "Cedar School", "status": "new", "changes": {}},
                         {"row": 3, "key": "900001", "label": "Alder Street Primary Academy", "status": "changed",
                          "changes": {"NumberOfPupils": [420, 430]}}],
                "errors": [], "summary": {"schools of the partnership in the file": 2}},
    )


ROUTES = [
    Route("schools:school_list", expect=PUBLIC, a11y="anonymous"),
    Route("schools:school_list", expect=PUBLIC, query="?_export=csv"),
    Route("schools:school_list", expect=PUBLIC, query="?q=alder&phase=primary&closed=on", a11y="officer"),
    Route("schools:school_detail", lambda w: {"urn": w.school_a.urn}, PUBLIC, a11y="anonymous"),
    Route("schools:trust_list", expect=PUBLIC, a11y="anonymous"),
    Route("schools:trust_detail", lambda w: {"uid": w.trust_a.uid}, PUBLIC, a11y="anonymous"),
    Route("schools:about_the_data", expect=PUBLIC, a11y="anonymous"),
    Route("imports:list", expect=ADMIN_ONLY, a11y="admin"),
    Route("imports:upload", expect=ADMIN_ONLY, a11y="admin"),
    Route("imports:detail", lambda w: {"pk": w.import_record.pk}, ADMIN_ONLY, a11y="admin"),
    # Confirming is a POST; a GET is refused (405) for admins and hidden (404) from everyone else.
    Route("imports:confirm", lambda w: {"pk": w.import_record.pk}, {**ADMIN_ONLY, "admin": 405}),
    Route("imports:status", lambda w: {"pk": w.import_record.pk}, ADMIN_ONLY),
]
