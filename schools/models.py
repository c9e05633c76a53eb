"""The register (schools, trusts, links, clusters), imports, and the published figures for each school.

Published figures live in one long table (`Value`: school x measure x year) with the LA and England
figures beside them in the same shape (`Benchmark`), so the rating engine, the charts and the
strategy targets read one structure whatever file a figure came from.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from pep_portal import partnership


class Governance(models.TextChoices):
    LA_MAINTAINED = "la_maintained", "LA maintained"
    ACADEMY = "academy", "Academy"
    FREE_SCHOOL = "free_school", "Free school"
    SPECIAL_MAINTAINED = "special_maintained", "Special (maintained)"
    SPECIAL_ACADEMY = "special_academy", "Special (academy)"
    INDEPENDENT = "independent", "Independent"
    OTHER = "other", "Other"


# Academies, free schools and special academies all count as academies in "share of academies".
ACADEMY_CATEGORIES = (Governance.ACADEMY, Governance.FREE_SCHOOL, Governance.SPECIAL_ACADEMY)
# Who is rated: open state-funded schools (GIAS type groups LA maintained, academies, free, special).
STATE_FUNDED_CATEGORIES = (
    Governance.LA_MAINTAINED,
    Governance.ACADEMY,
    Governance.FREE_SCHOOL,
    Governance.SPECIAL_MAINTAINED,
    Governance.SPECIAL_ACADEMY,
)


class Phase(models.TextChoices):
    PRIMARY = "primary", "Primary"
    SECONDARY = "secondary", "Secondary"
    ALL_THROUGH = "all_through", "All-through"
    SPECIAL = "special", "Special"
    NURSERY = "nursery", "Nursery"
    SIXTEEN_PLUS = "16_plus", "16 plus"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class LocalAuthority(models.Model):
    code = models.CharField(max_length=3, unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "local authorities"

    def __str__(self):
        return f"{self.name} ({self.code})"


class SchoolQuerySet(models.QuerySet):
    def partnership(self):
        return self.filter(la__code__in=partnership.current().la_codes)

    def open(self):
        return self.exclude(status=School.Status.CLOSED)

    def state_funded(self):
        return self.filter(governance__in=STATE_FUNDED_CATEGORIES)

    def rated_scope(self):
        """The schools a rating run rates: the partnership's open state-funded schools."""
        return self.partnership().open().state_funded()

    def visible_to(self, user):
        """Schools whose confidential pages the user may open (officers: all; leaders: their own)."""
        from pep_portal.roles import is_officer

        if not user.is_authenticated:
            return self.none()
        if is_officer(user):
            return self.partnership()
        return self.filter(Q(leaders=user) | Q(trust_links__trust__leaders=user, trust_links__left_on=None)).distinct()


class School(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        PROPOSED_TO_CLOSE = "proposed_to_close", "Open, but proposed to close"
        PROPOSED_TO_OPEN = "proposed_to_open", "Proposed to open"
        CLOSED = "closed", "Closed"

    urn = models.PositiveIntegerField(unique=True, verbose_name="URN")
    la = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="schools", verbose_name="LA")
    establishment_number = models.CharField(max_length=8, blank=True)
    name = models.CharField(max_length=200)
    type_name = models.CharField("type of establishment", max_length=120, blank=True)
    type_group = models.CharField("establishment type group", max_length=80, blank=True)
    governance = models.CharField(max_length=20, choices=Governance.choices, default=Governance.OTHER)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    phase = models.CharField(max_length=20, choices=Phase.choices, default=Phase.NOT_APPLICABLE)
    phase_name = models.CharField("phase of education (GIAS)", max_length=60, blank=True)
    low_age = models.PositiveSmallIntegerField(null=True, blank=True)
    high_age = models.PositiveSmallIntegerField(null=True, blank=True)
    pupils = models.PositiveIntegerField(null=True, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True)
    fsm_percent = models.DecimalField("FSM %", max_digits=5, decimal_places=1, null=True, blank=True)
    ofsted_rating = models.CharField(max_length=40, blank=True)
    ofsted_date = models.DateField(null=True, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    town = models.CharField(max_length=100, blank=True)
    easting = models.PositiveIntegerField(null=True, blank=True)
    northing = models.PositiveIntegerField(null=True, blank=True)
    website = models.URLField(max_length=300, blank=True)
    open_date = models.DateField(null=True, blank=True)
    close_date = models.DateField(null=True, blank=True)
    # From the performance tables' school information (spine) file: the register (GIAS) import does
    # not carry them, and the spine import only fills facts about schools already in the register.
    gender = models.CharField(max_length=20, blank=True)
    religious_character = models.CharField(max_length=60, blank=True)
    admissions_policy = models.CharField(max_length=40, blank=True)
    leaders = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="led_schools", help_text="School leaders of this school"
    )
    updated_at = models.DateTimeField(auto_now=True, db_index=True)  # the register cache key reads its maximum

    objects = SchoolQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        # Declared here rather than as db_index=True, which on PostgreSQL adds a second, pattern-matching
        # index to every text column: nothing filters these by LIKE, and a register import of 50,000
        # schools kept four such indexes up to date for nothing.
        indexes = [models.Index(fields=[f], name=f"school_{f}_idx") for f in ("name", "governance", "status", "phase")]

    def __str__(self):
        return f"{self.name} ({self.urn})"

    def get_absolute_url(self):
        return f"/schools/{self.urn}/"

    @property
    def is_academy(self):
        return self.governance in ACADEMY_CATEGORIES

    @property
    def current_trust(self):
        link = next(
            (t for t in self.trust_links.all() if t.left_on is None and t.trust.counts_as_trust),
            None,
        )
        return link.trust if link else None


class Trust(models.Model):
    """A GIAS group. Only multi-academy and single-academy trusts count as trusts."""

    class Type(models.TextChoices):
        MAT = "mat", "Multi-academy trust"
        SAT = "sat", "Single-academy trust"
        FEDERATION = "federation", "Federation"
        SPONSOR = "sponsor", "Academy sponsor"
        TRUST = "trust", "Trust"
        OTHER = "other", "Other group"

    uid = models.PositiveIntegerField(unique=True, verbose_name="group UID")
    name = models.CharField(max_length=200)
    type = models.CharField(max_length=20, choices=Type.choices, db_index=True)
    companies_house_number = models.CharField(max_length=12, blank=True)
    status = models.CharField(max_length=40, blank=True)
    leaders = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="led_trusts", help_text="Trust leaders of this trust"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"/trusts/{self.uid}/"

    @property
    def counts_as_trust(self):
        return self.type in (self.Type.MAT, self.Type.SAT)


class TrustLink(models.Model):
    """A school's membership of a group, with its history (an academy is linked to its trust and sponsor)."""

    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="school_links")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="trust_links")
    joined_on = models.DateField(null=True, blank=True)
    left_on = models.DateField(null=True, blank=True)
    # Made from a register file's Trusts (code)/(name) columns: stands in until a GIAS group-links file
    # is imported, which is the record and replaces these links.
    from_register = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["trust", "school", "joined_on"], name="unique_trust_link")]

    def __str__(self):
        return f"{self.school} in {self.trust}"


class SchoolLink(models.Model):
    """GIAS links between URNs, so a school's history survives academy conversion."""

    urn = models.PositiveIntegerField(db_index=True)
    linked_urn = models.PositiveIntegerField(db_index=True)
    link_type = models.CharField(max_length=60)
    link_established = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["urn", "linked_urn", "link_type"], name="unique_school_link")]

    def __str__(self):
        return f"{self.urn} {self.link_type} {self.linked_urn}"


class Cluster(models.Model):
    """A named group of schools: a peer-review cluster, a locality."""

    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=40, default="locality")
    schools = models.ManyToManyField(School, blank=True, related_name="clusters")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ImportRecord(models.Model):
    """Every import: who, when, which file, what it was and what it did."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Previewed, waiting for confirmation"
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Imported"
        REFUSED = "refused", "Refused"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    source = models.CharField(max_length=20, default="web")  # web, command, task, demo
    file_name = models.CharField(max_length=255)
    stored_name = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(default=0)
    kind = models.CharField(max_length=40, blank=True)
    profile = models.CharField(max_length=60, blank=True)
    academic_year = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Start year: 2018 = 2018/19")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PREVIEWED)
    rows_read = models.PositiveIntegerField(default=0)
    rows_written = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    rows_skipped = models.PositiveIntegerField(default=0)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.TextField(blank=True)
    report = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"


class Measure(models.Model):
    class Unit(models.TextChoices):
        PERCENT = "percent", "%"
        SCORE = "score", "score"
        COUNT = "count", "pupils"
        GRADE = "grade", "grade"
        YEARS = "years", "years"
        # Per 100 pupils: suspensions can pass 100 (a pupil may be suspended more than once).
        RATE = "rate", "per 100 pupils"

    class Polarity(models.TextChoices):
        HIGHER = "higher", "Higher is better"
        LOWER = "lower", "Lower is better"
        NONE = "none", "Context only"

    class Phase(models.TextChoices):
        PRIMARY = "primary", "Primary"
        SECONDARY = "secondary", "Secondary"
        ALL = "all", "All"

    code = models.SlugField(max_length=40, unique=True)
    label = models.CharField(max_length=150)
    short_label = models.CharField(max_length=40, blank=True)
    reasons_label = models.CharField(
        max_length=60, blank=True, help_text="As rating reasons write it, e.g. “KS2 RWM”; blank: the short label"
    )
    phase = models.CharField(max_length=10, choices=Phase.choices, default=Phase.ALL)
    unit = models.CharField(max_length=10, choices=Unit.choices)
    polarity = models.CharField(max_length=10, choices=Polarity.choices)
    min_cohort = models.PositiveSmallIntegerField(default=11, help_text="Smallest cohort that is rated")
    is_core = models.BooleanField(default=False, help_text="Counts toward the priority")
    kind = models.CharField(max_length=40, help_text="The file kind it comes from, e.g. ks2, ks4, absence")
    source_column = models.CharField(max_length=60, blank=True, help_text="Current DfE column name")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]

    def __str__(self):
        return self.label


class Marker(models.TextChoices):
    """Why a published figure has no number. A marker is never zero and never rated red."""

    SUPP = "SUPP", "Suppressed (small cohort)"
    NE = "NE", "No entries"
    NP = "NP", "Not published"
    NA = "NA", "Not applicable"
    NEW = "NEW", "New school"
    LOWCOV = "LOWCOV", "Low coverage"
    SP = "SP", "Small percentage"
    BLANK = "BLANK", "Blank"
    EES_C = "c", "Confidential (EES)"
    EES_X = "x", "Not available (EES)"
    EES_Z = "z", "Not applicable (EES)"
    EES_LOW = "low", "Rounds to zero (EES)"
    EES_U = "u", "Low reliability (EES)"
    EES_COLON = ":", "Not available (EES)"
    NULL = "NULL", "Null (Ofsted)"


class Value(models.Model):
    """A school's published figure for a measure in an academic year (value or a marker)."""

    # No single-column indexes: unique (school, measure, year) and (measure, year) lead with each,
    # and every extra index is maintained on each of the ~130,000 rows a national file writes.
    # No database foreign-key constraints either: PostgreSQL checks them row by row, three lookups for
    # each of those rows, which took longer than writing them. The one writer of figures
    # (pep_portal.bulk) checks the references set-based in the same transaction instead, and the ORM
    # still cascades deletes (Django's on_delete never relied on the database).
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="values", db_index=False,
                               db_constraint=False)
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="values", db_index=False,
                                db_constraint=False)
    year = models.PositiveSmallIntegerField(help_text="Academic year by its start: 2018 = 2018/19")
    value = models.FloatField(null=True, blank=True)
    marker = models.CharField(max_length=8, choices=Marker.choices, blank=True)
    cohort = models.PositiveIntegerField(null=True, blank=True)
    # Provenance, read from the figure's side only: no index to keep up on every row written.
    source = models.ForeignKey(ImportRecord, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               db_index=False, db_constraint=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school", "measure", "year"], name="unique_value")]
        indexes = [models.Index(fields=["measure", "year"])]

    def __str__(self):
        return f"{self.school_id} {self.measure_id} {self.year}: {self.value if self.value is not None else self.marker}"


class Benchmark(models.Model):
    """An LA or national figure for a measure in a year, taken from the files' own summary rows."""

    class Area(models.TextChoices):
        ENGLAND = "england", "England (state-funded)"
        ENGLAND_ALL = "england_all", "England (all schools)"
        LA = "la", "Local authority"

    area = models.CharField(max_length=20, choices=Area.choices)
    la_code = models.CharField(max_length=3, blank=True, help_text="For LA rows")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="benchmarks")
    year = models.PositiveSmallIntegerField()
    # Absence comparators differ by phase (PRI, SEC, SPE rows); other measures use "".
    phase = models.CharField(max_length=3, blank=True)
    value = models.FloatField(null=True, blank=True)
    marker = models.CharField(max_length=8, choices=Marker.choices, blank=True)
    cohort = models.PositiveIntegerField(null=True, blank=True)
    source = models.ForeignKey(ImportRecord, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["area", "la_code", "measure", "year", "phase"], name="unique_benchmark")
        ]

    def __str__(self):
        return f"{self.area} {self.la_code} {self.measure_id} {self.year}: {self.value if self.value is not None else self.marker}"


class ValueChange(models.Model):
    """What a newer file changed: the old and new figure, when, and from which import."""

    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.CASCADE)
    benchmark_area = models.CharField(max_length=20, blank=True)
    benchmark_la_code = models.CharField(max_length=3, blank=True)
    benchmark_phase = models.CharField(max_length=3, blank=True)
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    old_value = models.FloatField(null=True, blank=True)
    old_marker = models.CharField(max_length=8, blank=True)
    new_value = models.FloatField(null=True, blank=True)
    new_marker = models.CharField(max_length=8, blank=True)
    old_source = models.ForeignKey(ImportRecord, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    source = models.ForeignKey(ImportRecord, on_delete=models.CASCADE, related_name="changes")
    changed_at = models.DateTimeField(auto_now_add=True)
    # Trust-level figures (TrustValue) keep their history here too, by group UID.
    trust_uid = models.PositiveIntegerField(null=True, blank=True)

    def __str__(self):
        return f"{self.measure_id} {self.year}: {self.old_value} -> {self.new_value}"


class TrustValue(models.Model):
    """A trust's published figure (DfE MAT performance tables) for a measure in a year.

    Keyed by the GIAS group UID, not a foreign key: the DfE file lists every trust in England, and a
    figure for a trust the register has not imported is kept (the import warns about it) so that it
    shows as soon as the trust arrives.
    """

    trust_uid = models.PositiveIntegerField(db_index=True, verbose_name="group UID")
    trust_name = models.CharField(max_length=200, blank=True)
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="trust_values")
    year = models.PositiveSmallIntegerField(help_text="Academic year by its start: 2024 = 2024/25")
    value = models.FloatField(null=True, blank=True)
    marker = models.CharField(max_length=8, choices=Marker.choices, blank=True)
    cohort = models.PositiveIntegerField(null=True, blank=True)
    source = models.ForeignKey(ImportRecord, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["trust_uid", "measure", "year"], name="unique_trust_value")]

    def __str__(self):
        return f"trust {self.trust_uid} {self.measure_id} {self.year}: {self.value if self.value is not None else self.marker}"


class ReportCard(models.Model):
    """A school's latest Ofsted report card (inspections from November 2025): each area's grade and date.

    Kept apart from the old 1-4 grades (School.ofsted_rating) and never converted to them; the rating
    bands it by its own rule row. `areas` is [[area, grade as Ofsted writes it, ISO date or None], ...]
    in the file's order, safeguarding first.
    """

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="report_card")
    inspected_on = models.DateField()
    category_of_concern = models.CharField(max_length=60, blank=True)
    areas = models.JSONField(default=list)
    source = models.ForeignKey(ImportRecord, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"report card {self.school_id} {self.inspected_on}"

    @property
    def grades(self):
        """{area: grade} for the areas with a grade."""
        return {area: grade for area, grade, _ in self.areas if grade}
