"""A fictional partnership (or a whole fictional England) written in the real GIAS file layouts.

Deterministic: the same seed gives the same schools, names, figures and files, byte for byte.

    from schools import demo_generator as g
    data = g.demo_partnership()                 # LA 899: 46 primary, 9 secondary, 1 all-through,
                                                # 4 special, 1 UTC; ~70% academies in 13 trusts
    data = g.national(n_schools=22000, n_las=152, closed_rows=28000)   # bench: a 50,000-row extract
    paths = g.write_all(data, folder)          # {"gias_establishments": path, "gias_groups": ...}
    for s in data.open_schools(): s.urn, s.phase, s.pupils, s.fsm_percent ...  # for KS2/KS4/absence files

Other engineers extend it: `data.schools` is the list of DemoSchool (with `rng_seed` per school so
performance figures can be drawn reproducibly per school: `random.Random(school.rng_seed)`).
"""

import csv
import datetime
import random
from dataclasses import dataclass, field
from pathlib import Path

DEMO_SEED = 899
DEMO_LA = ("899", "Northbridge")

PLACES = [
    "Alder", "Ashby", "Beacon", "Birch", "Bramley", "Brook", "Castle", "Cedar", "Chapel", "Clifton", "Copper",
    "Cross", "Dale", "Elm", "Fairfield", "Fern", "Forge", "Glebe", "Green Lane", "Hawthorn", "Hazel", "Heath",
    "Highfield", "Hill Top", "Holly", "Kings", "Lark", "Linden", "Maple", "Marsh", "Meadow", "Mill", "Moor",
    "Northgate", "Oak", "Orchard", "Park", "Priory", "Queens", "Riverside", "Rowan", "St Anne's", "St Mary's",
    "St Peter's", "Southfield", "Spring", "Stone", "Thorn", "Tower", "Vale", "Westfield", "Willow", "Windmill",
    "Wood End", "Yew Tree", "Abbey", "Bridge", "Canal", "Docks", "Harbour", "Quarry", "Railway", "Sandy Lane",
]
TOWNS = ["Northbridge", "Eastwick", "Southmoor", "Westford", "Upper Dale", "Lowbridge", "Kingsmead"]
TRUST_WORDS = ["Learning", "Education", "Schools", "Academies", "Co-operative", "Community", "Diocesan"]
TRUST_STEMS = ["Northbridge", "Riverside", "Beacon", "Oakwood", "Harbour", "Castle", "Kingsmead", "Vale",
               "Meridian", "Lighthouse", "Pioneer", "Horizon", "Evergreen", "Summit", "Compass", "Keystone"]
OFSTED_OLD = ["Outstanding", "Good", "Requires improvement", "Serious Weaknesses", "Special Measures"]

# The current GIAS establishment extract layout (edubasealldata): the columns the portal reads, in
# GIAS order, with a selection of the others so the file looks like the real download.
ESTABLISHMENT_HEADER = [
    "URN", "LA (code)", "LA (name)", "EstablishmentNumber", "EstablishmentName", "TypeOfEstablishment (name)",
    "EstablishmentTypeGroup (name)", "EstablishmentStatus (name)", "ReasonEstablishmentOpened (name)", "OpenDate",
    "ReasonEstablishmentClosed (name)", "CloseDate", "PhaseOfEducation (name)", "StatutoryLowAge",
    "StatutoryHighAge", "Boarders (name)", "NurseryProvision (name)", "OfficialSixthForm (name)", "Gender (name)",
    "ReligiousCharacter (name)", "AdmissionsPolicy (name)", "SchoolCapacity", "CensusDate", "NumberOfPupils",
    "NumberOfBoys", "NumberOfGirls", "PercentageFSM", "TrustSchoolFlag (name)", "Trusts (name)",
    "SchoolSponsorFlag (name)", "SchoolSponsors (name)", "FederationFlag (name)", "Federations (name)", "UKPRN",
    "OfstedLastInsp", "LastChangedDate", "Street", "Locality", "Address3", "Town", "County (name)", "Postcode",
    "SchoolWebsite", "TelephoneNum", "HeadTitle (name)", "HeadFirstName", "HeadLastName",
    "HeadPreferredJobTitle", "GOR (name)", "DistrictAdministrative (name)", "UrbanRural (name)",
    "GSSLACode (name)", "Easting", "Northing", "OfstedRating (name)", "Country (name)", "UPRN",
]
GROUPS_HEADER = [
    "Group UID", "Group ID", "Group Name", "Companies House Number", "Group Type (code)", "Group Type",
    "Closed Date", "Open date", "Incorporated on (open date)", "Group Status (code)", "Group Status",
    "Group Street", "Group Locality", "Group Address 3", "Group Town", "Group County", "Group Postcode",
    "Head of Group Title", "Head of Group First Name", "Head of Group Last Name", "UKPRN",
]
GROUP_LINKS_HEADER = [
    "URN", "Linked UID", "Group Name", "Companies House Number", "Group Type", "Closed Date", "Group Status",
    "FederationType", "Joined date", "EstablishmentName", "TypeOfEstablishment (code)",
    "TypeOfEstablishment (name)", "PhaseOfEducation (code)", "PhaseOfEducation (name)", "LA (code)", "LA (name)",
    "HasSharedHT",
]
LINKS_HEADER = ["URN", "LinkURN", "LinkName", "LinkType", "LinkEstablishedDate"]

TYPE_CODES = {
    "Community school": 1, "Voluntary aided school": 2, "Voluntary controlled school": 3, "Foundation school": 5,
    "Community special school": 7, "Academy sponsor led": 28, "Academy converter": 34,
    "Academy special converter": 44, "Free schools": 35, "University technical college": 40,
}
TYPE_GROUPS = {
    "Community school": "Local authority maintained schools", "Voluntary aided school":
    "Local authority maintained schools", "Voluntary controlled school": "Local authority maintained schools",
    "Foundation school": "Local authority maintained schools", "Community special school": "Special schools",
    "Academy sponsor led": "Academies", "Academy converter": "Academies", "Academy special converter": "Academies",
    "Free schools": "Free Schools", "University technical college": "Free Schools",
}
PHASE_CODES = {"Not applicable": 0, "Nursery": 1, "Primary": 2, "Secondary": 4, "16 plus": 5, "All-through": 7}
FIRST_NAMES = ["Amira", "Ben", "Chloe", "David", "Esther", "Farid", "Grace", "Hamza", "Isla", "James", "Keira",
               "Liam", "Maya", "Noah", "Olivia", "Priya", "Rhys", "Sofia", "Tom", "Uma", "Victor", "Zara"]
LAST_NAMES = ["Adams", "Begum", "Clarke", "Davies", "Evans", "Fletcher", "Green", "Hussain", "Iqbal", "Jones",
              "Khan", "Lewis", "Morgan", "Nowak", "Okafor", "Patel", "Quinn", "Roberts", "Smith", "Taylor"]


@dataclass
class DemoTrust:
    uid: int
    group_id: str
    name: str
    type: str  # GIAS "Group Type": Multi-academy trust, Single-academy trust, School sponsor
    companies_house_number: str
    open_date: datetime.date
    sponsor_uid: int | None = None  # the sponsor group its academies are also linked to


@dataclass
class DemoSchool:
    urn: int
    la_code: str
    la_name: str
    establishment_number: str
    name: str
    type_name: str
    phase_name: str
    low_age: int
    high_age: int
    status: str = "Open"
    pupils: int | None = None
    capacity: int | None = None
    fsm_percent: float | None = None
    ofsted_rating: str = ""
    ofsted_date: datetime.date | None = None
    postcode: str = ""
    town: str = ""
    easting: int = 0
    northing: int = 0
    open_date: datetime.date | None = None
    close_date: datetime.date | None = None
    trust_uid: int | None = None
    trust_joined: datetime.date | None = None
    predecessor_urn: int | None = None
    successor_urn: int | None = None
    rng_seed: int = 0

    @property
    def type_group(self):
        return TYPE_GROUPS.get(self.type_name, "Other types")

    @property
    def is_academy(self):
        return self.type_group in ("Academies", "Free Schools")

    @property
    def phase(self):
        """The portal's phase code (schools.models.Phase values)."""
        if "special" in self.type_name.lower():
            return "special"
        return {"Primary": "primary", "Secondary": "secondary", "All-through": "all_through"}.get(
            self.phase_name, "not_applicable")


@dataclass
class DemoData:
    las: list  # [(code, name)]
    schools: list = field(default_factory=list)
    trusts: list = field(default_factory=list)

    @property
    def la_codes(self):
        return [code for code, _ in self.las]

    def open_schools(self):
        return [s for s in self.schools if s.status != "Closed"]

    def school(self, urn):
        return next((s for s in self.schools if s.urn == urn), None)


# --------------------------------------------------------------------------------------- generation
class _Maker:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.used_names = set()
        self.next_urn = 150001
        self.next_uid = 17001

    def urn(self):
        self.next_urn += 1 + self.rng.randrange(3)
        return self.next_urn

    def uid(self):
        self.next_uid += 1 + self.rng.randrange(5)
        return self.next_uid

    def name(self, phase, type_name):
        for _ in range(50):
            place = self.rng.choice(PLACES)
            if "special" in type_name.lower():
                name = f"{place} {self.rng.choice(['School', 'Academy', 'Centre for Learning'])}"
            elif type_name == "University technical college":
                name = f"{self.rng.choice(TOWNS)} University Technical College"
            elif phase == "Primary":
                kind = self.rng.choice(["Primary School", "Primary School", "Infant School", "Junior School",
                                        "Primary Academy", "CofE Primary School", "Catholic Primary School"])
                name = f"{place} {kind}"
            elif phase == "All-through":
                name = f"{place} All-Through Academy"
            else:
                name = f"{place} {self.rng.choice(['Academy', 'High School', 'School', 'College'])}"
            if name not in self.used_names:
                self.used_names.add(name)
                return name
        name = f"{name} {len(self.used_names)}"
        self.used_names.add(name)
        return name

    def school(self, la_code, la_name, estab, phase, type_name, centre):
        s = self._school(la_code, la_name, estab, phase, type_name, centre)
        # An infant school ends at year 2 (age 7), a junior school starts at year 3: so an infant school
        # has no key stage 2 results. Set after the name, so the seeded stream is as before.
        if s.name.endswith("Infant School"):
            s.low_age, s.high_age = 4, 7
        elif s.name.endswith("Junior School"):
            s.low_age, s.high_age = 7, 11
        return s

    def _school(self, la_code, la_name, estab, phase, type_name, centre):
        rng = self.rng
        ages = {"Primary": (4, 11), "Secondary": (11, 18 if rng.random() < 0.6 else 16), "All-through": (4, 18)}
        low, high = ages.get(phase, (11, 19) if "special" in type_name.lower() else (14, 19))
        if type_name == "University technical college":
            low, high = 14, 19
        if "special" in type_name.lower():
            low, high = rng.choice([(2, 11), (3, 19), (11, 19), (5, 16)])
            pupils = rng.randint(70, 220)
        elif phase == "Primary":
            pupils = rng.choice([rng.randint(90, 240), rng.randint(200, 460), rng.randint(380, 680)])
        elif phase == "All-through":
            pupils = rng.randint(1300, 1900)
        elif type_name == "University technical college":
            pupils = rng.randint(280, 600)
        else:
            pupils = rng.randint(650, 1750)
        capacity = int(round(pupils * rng.uniform(0.95, 1.2), -1))
        fsm = round(min(65.0, max(2.0, rng.gauss(24, 11))), 1)
        roll = rng.random()
        rating = ("Outstanding" if roll < 0.16 else "Good" if roll < 0.86 else "Requires improvement")
        town = rng.choice(TOWNS)
        return DemoSchool(
            urn=self.urn(), la_code=la_code, la_name=la_name, establishment_number=str(estab),
            name=self.name(phase, type_name), type_name=type_name, phase_name=phase if phase else "Not applicable",
            low_age=low, high_age=high, pupils=pupils, capacity=capacity, fsm_percent=fsm, ofsted_rating=rating,
            ofsted_date=datetime.date(2017, 1, 10) + datetime.timedelta(days=rng.randrange(2900)),
            postcode=f"NB{rng.randint(1, 19)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
                     f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
            town=town, easting=centre[0] + rng.randint(-9000, 9000), northing=centre[1] + rng.randint(-9000, 9000),
            open_date=None, rng_seed=rng.randrange(1 << 30),
        )

    def trust(self, kind="Multi-academy trust"):
        rng = self.rng
        for _ in range(50):
            name = f"{rng.choice(TRUST_STEMS)} {rng.choice(TRUST_WORDS)} Trust"
            if name not in self.used_names:
                break
        self.used_names.add(name)
        uid = self.uid()
        return DemoTrust(uid=uid, group_id=f"TR{uid - 10000:05d}", name=name, type=kind,
                         companies_house_number=f"{rng.randint(7000000, 13999999):08d}",
                         open_date=datetime.date(2011, 1, 1) + datetime.timedelta(days=rng.randrange(3600)))


def demo_partnership(seed=DEMO_SEED, la=DEMO_LA):
    """The demo partnership: 61 open schools in one LA, about 70% academies in 13 trusts."""
    m = _Maker(seed)
    rng = m.rng
    code, la_name = la
    centre = (452000, 318000)
    data = DemoData(las=[(code, la_name)])
    # (phase, type, count): 46 primary, 9 secondary, 1 all-through, 4 special, 1 UTC (GIAS phase: secondary) = 61.
    plan = [
        ("Primary", "Academy converter", 22), ("Primary", "Academy sponsor led", 9),
        ("Primary", "Community school", 8), ("Primary", "Voluntary aided school", 4),
        ("Primary", "Voluntary controlled school", 2), ("Primary", "Free schools", 1),
        ("Secondary", "Academy converter", 4), ("Secondary", "Academy sponsor led", 3),
        ("Secondary", "Foundation school", 1), ("Secondary", "Free schools", 1),
        ("All-through", "Academy sponsor led", 1),
        ("Not applicable", "Academy special converter", 2), ("Not applicable", "Community special school", 2),
        ("Secondary", "University technical college", 1),
    ]
    estab = {"Primary": 2000, "Secondary": 4000, "All-through": 4500, "Not applicable": 7000, "16 plus": 4800}
    for phase, type_name, count in plan:
        for _ in range(count):
            estab[phase] += rng.randint(1, 12)
            data.schools.append(m.school(code, la_name, estab[phase], phase, type_name, centre))
    # Ofsted: a few requires improvement already; exactly one inadequate (special measures).
    bad = rng.choice([s for s in data.schools if s.phase_name == "Primary" and s.is_academy])
    bad.ofsted_rating, bad.ofsted_date = "Special Measures", datetime.date(2024, 2, 7)
    # A couple of recent free schools without a judgement yet.
    for s in data.schools:
        if s.type_name in ("Free schools", "University technical college"):
            s.open_date = datetime.date(rng.randint(2016, 2021), 9, 1)
            if s.open_date.year >= 2020:
                s.ofsted_rating, s.ofsted_date = "", None
    # 13 trusts: 8 multi-academy trusts and 5 single-academy trusts hold the 44 academies.
    academies = [s for s in data.schools if s.is_academy]
    rng.shuffle(academies)
    sizes = [9, 7, 6, 5, 4, 3, 3, 2, 1, 1, 1, 1, 1]
    sponsor = m.trust("School sponsor")
    data.trusts.append(sponsor)
    start = 0
    for size in sizes:
        trust = m.trust("Multi-academy trust" if size > 1 else "Single-academy trust")
        trust.sponsor_uid = sponsor.uid if size >= 5 else None
        data.trusts.append(trust)
        for s in academies[start:start + size]:
            s.trust_uid = trust.uid
            s.trust_joined = max(trust.open_date, s.open_date or trust.open_date) + datetime.timedelta(
                days=rng.randrange(0, 900))
        start += size
    _add_predecessors(m, data, count=8)
    return data


def _add_predecessors(m, data, count):
    """Some converter academies replaced an LA maintained school: a closed predecessor URN, linked."""
    rng = m.rng
    converters = [s for s in data.schools if s.type_name == "Academy converter" and s.status == "Open"]
    for s in rng.sample(converters, min(count, len(converters))):
        opened = s.trust_joined or datetime.date(2015, 9, 1)
        s.open_date = opened
        old = DemoSchool(
            urn=m.urn() - 40000, la_code=s.la_code, la_name=s.la_name,
            establishment_number=s.establishment_number, name=s.name.replace("Academy", "School"),
            type_name="Community school", phase_name=s.phase_name, low_age=s.low_age, high_age=s.high_age,
            status="Closed", pupils=None, capacity=s.capacity, fsm_percent=None, ofsted_rating="",
            postcode=s.postcode, town=s.town, easting=s.easting, northing=s.northing,
            open_date=None, close_date=opened - datetime.timedelta(days=1), successor_urn=s.urn,
            rng_seed=rng.randrange(1 << 30),
        )
        s.predecessor_urn = old.urn
        data.schools.append(old)


def national(n_schools=22000, n_las=152, closed_rows=0, seed=2024):
    """A fictional England for the bench: n_schools open schools in n_las LAs, plus closed rows."""
    m = _Maker(seed)
    rng = m.rng
    codes = sorted(rng.sample(range(201, 999), n_las))
    data = DemoData(las=[(str(c), f"Authority {c}") for c in codes])
    mix = [("Primary", "Academy converter", 30), ("Primary", "Community school", 28),
           ("Primary", "Voluntary aided school", 12), ("Primary", "Academy sponsor led", 6),
           ("Secondary", "Academy converter", 9), ("Secondary", "Academy sponsor led", 5),
           ("Secondary", "Community school", 3), ("All-through", "Academy sponsor led", 1),
           ("Not applicable", "Community special school", 3), ("Not applicable", "Academy special converter", 3)]
    weights = [w for *_, w in mix]
    m.used_names = _NoUnique()
    estab = {}
    trusts = []
    for i in range(n_schools):
        code, name = data.las[i % n_las]
        phase, type_name, _ = rng.choices(mix, weights)[0]
        estab[code] = estab.get(code, 1999) + 1
        s = m.school(code, name, estab[code], phase, type_name, (300000 + 2000 * (i % n_las), 300000))
        if s.is_academy:
            if not trusts or rng.random() < 0.12:
                trusts.append(m.trust("Multi-academy trust"))
            t = trusts[-1] if rng.random() < 0.8 else rng.choice(trusts)
            s.trust_uid, s.trust_joined = t.uid, t.open_date
        data.schools.append(s)
    data.trusts = trusts
    for i in range(closed_rows):
        code, name = data.las[i % n_las]
        estab[code] = estab.get(code, 1999) + 1
        s = m.school(code, name, estab[code], "Primary", "Community school", (300000, 300000))
        s.status, s.close_date, s.pupils, s.ofsted_rating, s.ofsted_date = (
            "Closed", datetime.date(2010, 8, 31), None, "", None)
        data.schools.append(s)
    return data


class _NoUnique(set):
    """Names need not be unique at national scale (there are many St Mary's)."""

    def __contains__(self, item):
        return False


# ------------------------------------------------------------------------------------------ writing
def _d(value):
    return value.strftime("%d-%m-%Y") if value else ""


def establishment_row(s):
    group = s.type_group
    trust_flag = "Supported by a multi-academy trust" if s.trust_uid else "Not applicable"
    rng = random.Random(s.rng_seed)
    boys = (s.pupils or 0) // 2
    row = {
        "URN": s.urn, "LA (code)": s.la_code, "LA (name)": s.la_name, "EstablishmentNumber": s.establishment_number,
        "EstablishmentName": s.name, "TypeOfEstablishment (name)": s.type_name,
        "EstablishmentTypeGroup (name)": group, "EstablishmentStatus (name)": s.status,
        "ReasonEstablishmentOpened (name)": "Academy Converter" if s.predecessor_urn else "Not applicable",
        "OpenDate": _d(s.open_date),
        "ReasonEstablishmentClosed (name)": "Academy Converter" if s.successor_urn else "Not applicable",
        "CloseDate": _d(s.close_date), "PhaseOfEducation (name)": s.phase_name,
        "StatutoryLowAge": s.low_age, "StatutoryHighAge": s.high_age, "Boarders (name)": "No boarders",
        "NurseryProvision (name)": "Has Nursery Classes" if s.low_age < 4 else "No Nursery Classes",
        "OfficialSixthForm (name)": "Has a sixth form" if s.high_age >= 18 else "Does not have a sixth form",
        "Gender (name)": "Mixed", "ReligiousCharacter (name)": "Does not apply",
        "AdmissionsPolicy (name)": "Not applicable", "SchoolCapacity": s.capacity or "",
        "CensusDate": "18-01-2024" if s.pupils else "", "NumberOfPupils": s.pupils if s.pupils is not None else "",
        "NumberOfBoys": boys if s.pupils else "", "NumberOfGirls": (s.pupils - boys) if s.pupils else "",
        "PercentageFSM": f"{s.fsm_percent:.1f}" if s.fsm_percent is not None else "",
        "TrustSchoolFlag (name)": trust_flag, "Trusts (name)": "", "SchoolSponsorFlag (name)": "Not applicable",
        "SchoolSponsors (name)": "", "FederationFlag (name)": "Not under a federation", "Federations (name)": "",
        "UKPRN": 10000000 + s.urn % 9999999, "OfstedLastInsp": _d(s.ofsted_date),
        "LastChangedDate": "01-09-2024", "Street": f"{rng.choice(PLACES)} Road", "Locality": "", "Address3": "",
        "Town": s.town, "County (name)": "", "Postcode": s.postcode,
        "SchoolWebsite": "https://www." + "".join(ch for ch in s.name.lower() if ch.isalnum())[:30] + ".example",
        "TelephoneNum": f"01632{rng.randint(100000, 999999)}", "HeadTitle (name)": rng.choice(["Mr", "Mrs", "Ms",
                                                                                              "Dr"]),
        "HeadFirstName": rng.choice(FIRST_NAMES), "HeadLastName": rng.choice(LAST_NAMES),
        "HeadPreferredJobTitle": "Headteacher", "GOR (name)": "Not applicable",
        "DistrictAdministrative (name)": s.la_name, "UrbanRural (name)": "(England/Wales) Urban city and town",
        "GSSLACode (name)": "", "Easting": s.easting, "Northing": s.northing, "OfstedRating (name)": s.ofsted_rating,
        "Country (name)": "", "UPRN": "",
    }
    return [row.get(col, "") for col in ESTABLISHMENT_HEADER]


def write_establishments(data, path, trusts_by_uid=None):
    trusts_by_uid = trusts_by_uid or {t.uid: t for t in data.trusts}
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        w.writerow(ESTABLISHMENT_HEADER)
        trusts_col = ESTABLISHMENT_HEADER.index("Trusts (name)")
        for s in data.schools:
            row = establishment_row(s)
            if s.trust_uid and s.trust_uid in trusts_by_uid:
                row[trusts_col] = trusts_by_uid[s.trust_uid].name.upper()
            w.writerow(row)
    return path


def write_groups(data, path):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(GROUPS_HEADER)
        codes = {"Multi-academy trust": 6, "Single-academy trust": 10, "School sponsor": 5}
        for t in data.trusts:
            w.writerow([t.uid, t.group_id if t.type != "School sponsor" else "", t.name,
                        t.companies_house_number if t.type != "School sponsor" else "", codes.get(t.type, 9),
                        t.type, "", t.open_date.isoformat(), t.open_date.isoformat(), "OPEN", "Open", "", "", "",
                        "Northbridge", "", "", "", "", "", ""])
    return path


def write_group_links(data, path):
    """The 2019 GIAS grouplinks layout (Windows-1252): each academy linked to its trust and, where
    the trust is sponsor-led, to the sponsor too (the real file does the same)."""
    by_uid = {t.uid: t for t in data.trusts}
    with open(path, "w", encoding="cp1252", newline="") as fh:
        w = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\n")
        w.writerow(GROUP_LINKS_HEADER)
        for s in data.schools:
            if not s.trust_uid or s.status == "Closed":
                continue
            trust = by_uid[s.trust_uid]
            groups = [trust]
            if trust.sponsor_uid and s.type_name == "Academy sponsor led":
                groups.append(by_uid[trust.sponsor_uid])
            for g in groups:
                w.writerow([s.urn, g.uid, g.name.upper() if g.type == "School sponsor" else g.name,
                            g.companies_house_number if g.type != "School sponsor" else "", g.type, "", "Open", "",
                            _d(s.trust_joined), s.name, TYPE_CODES.get(s.type_name, ""), s.type_name,
                            PHASE_CODES.get(s.phase_name, 0), s.phase_name, s.la_code, s.la_name, ""])
    return path


def write_links(data, path):
    with open(path, "w", encoding="cp1252", newline="") as fh:
        w = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        w.writerow(LINKS_HEADER)
        names = {s.urn: s.name for s in data.schools}
        for s in data.schools:
            if s.predecessor_urn:
                w.writerow([s.urn, s.predecessor_urn, names.get(s.predecessor_urn, ""), "Predecessor",
                            _d(s.open_date)])
            if s.successor_urn:
                w.writerow([s.urn, s.successor_urn, names.get(s.successor_urn, ""), "Successor",
                            _d(s.close_date + datetime.timedelta(days=1))])
    return path


def write_all(data, folder, stamp="20250101"):
    """Write the four GIAS files; returns {kind: path} in import order."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return {
        "gias_establishments": write_establishments(data, folder / f"edubasealldata{stamp}.csv"),
        "gias_groups": write_groups(data, folder / f"allgroupsdata{stamp}.csv"),
        "gias_group_links": write_group_links(data, folder / f"grouplinks_edubaseallacademiesandfree{stamp}.csv"),
        "gias_links": write_links(data, folder / f"links_edubasealldata{stamp}.csv"),
    }
