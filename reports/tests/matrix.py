"""Reports and board packs in the permission matrix: every persona, the status each gets.

The progress report and its confidential appendix are for officers and admins (others 404, anonymous
to log in), in each of their three formats. A meeting's public pack is public like the meeting page;
its exempt pack opens only for those who may read the group's exempt items.
"""

import datetime

from tests.world import Route

OFFICERS = {"anonymous": "login", "school_leader": 404, "trust_leader": 404, "chair": 404, "officer": 200,
            "admin": 200}
REFUSED_PERIOD = {**OFFICERS, "officer": 400, "admin": 400}
PUBLIC = {p: 200 for p in OFFICERS}
EXEMPT_READERS = {**OFFICERS, "chair": 200}

TODAY = datetime.date.today()
PERIOD = f"?from={TODAY - datetime.timedelta(days=60):%Y-%m-%d}&to={TODAY:%Y-%m-%d}"


def _x(w):
    return {"pk": w.meeting_x.pk}


ROUTES = [
    Route("reports:index", expect=OFFICERS, a11y="officer"),
    Route("reports:progress", expect=OFFICERS, a11y="officer", query=PERIOD),
    Route("reports:progress", expect=OFFICERS, query=PERIOD + "&format=pdf"),
    Route("reports:progress", expect=OFFICERS, query=PERIOD + "&format=docx"),
    Route("reports:progress", expect=REFUSED_PERIOD, a11y=None, query="?from=2026-09-01&to=2026-02-30"),
    Route("reports:progress", expect=REFUSED_PERIOD, query=PERIOD + "&format=xls"),
    Route("reports:confidential", expect=OFFICERS, a11y="officer", query=PERIOD),
    Route("reports:confidential", expect=OFFICERS, query=PERIOD + "&format=pdf"),
    Route("reports:confidential", expect=OFFICERS, query=PERIOD + "&format=docx"),
    Route("reports:confidential", expect=REFUSED_PERIOD, query="?to=2026-01-01"),
    Route("governance:pack", _x, PUBLIC),
    Route("governance:pack", lambda w: {"pk": w.meeting_x_next.pk}, PUBLIC),
    Route("governance:pack_exempt", _x, EXEMPT_READERS),
    Route("governance:pack_exempt", lambda w: {"pk": w.meeting_y.pk}, OFFICERS),
]
