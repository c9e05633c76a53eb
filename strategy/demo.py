"""Demo strategy for the fictional partnership, shaped like the seed strategies (a vision, shared
values, ten objectives led by governance groups, numbered goals and measurable targets of every
kind), in the portal's own words, plus an earlier strategy kept as a past one.

Targets point at the demo's imported measures; their years follow the data that is there (the
baseline is the first year imported, the target two years after the latest), so the demo works
whatever years the demo files hold. Idempotent: everything is looked up by its natural key and a
second run changes nothing but the time the targets were last worked out.
"""

import datetime

from django.db import transaction

from governance.models import Group
from pep_portal import partnership
from schools.models import Benchmark, Measure

from .models import (
    Goal,
    GoodOrBetterRecord,  # noqa: F401 - recorded by recompute_targets
    ManualPoint,
    ManualSeries,
    Objective,
    Strategy,
    StrategyValue,
    Target,
    VisionStatement,
    WorkStatus,
)
from .progress import current_academic_year, recompute_targets

TITLE = "Learning together: our education strategy"
PAST_TITLE = "Our first education strategy"

SUMMARY = (
    "The local authority, the multi-academy trusts and every school in the area agreed this strategy "
    "together. It says what we want for children and young people, how we will work, the ten things we "
    "will concentrate on, and the targets that show whether it is working. Progress against each target "
    "is worked out from published figures and shown here."
)

EASY_READ = (
    "This is our plan for schools.\n\n"
    "Schools, trusts and the council wrote it together.\n\n"
    "We want every child to learn well, be happy and be ready for adult life.\n\n"
    "We have 10 things we will work on. Each one has a group of people in charge of it.\n\n"
    "We have targets. The page shows if we are meeting them."
)

VISION = [
    "Children and young people make strong progress every year and leave school ready for the widest "
    "choice of jobs, training and study.",
    "Every child, whatever their background, grows up confident, healthy and able to take part fully in "
    "the life of their community.",
    "Our schools are places where the best teachers and leaders want to work, learn and stay.",
]

VALUES = [
    "We share responsibility for the outcomes of every child, not only those in our own school.",
    "We are open with each other, trust each other and work together.",
    "Children's interests come first in every decision we make.",
    "No child is held back by disadvantage, additional needs or where they live.",
    "No school is left to struggle on its own.",
    "What we do together adds value, rests on evidence and prevents problems rather than reacting to them.",
]

# number, title, description, group slug, status, goals [(number, text, owner slug, status, months from now)]
OBJECTIVES = [
    (
        1,
        "Prepare young people for life and work after school",
        "Careers education, work experience and employer links in every secondary school.",
        "post-16",
        WorkStatus.IN_PROGRESS,
        [
            (
                "1",
                "Give every secondary pupil at least two meaningful encounters with employers each year.",
                "post-16",
                WorkStatus.IN_PROGRESS,
                6,
            ),
            ("2", "Publish a shared careers calendar for all schools and colleges.", "post-16", WorkStatus.DONE, -3),
        ],
    ),
    (
        2,
        "Support emotional health, wellbeing and resilience",
        "Help schools notice and respond early when pupils struggle.",
        "inclusion",
        WorkStatus.IN_PROGRESS,
        [
            ("1", "Train a mental health lead in every school.", "inclusion", WorkStatus.IN_PROGRESS, 9),
            (
                "2",
                "Agree one referral route to wellbeing services for all schools.",
                "inclusion",
                WorkStatus.NOT_STARTED,
                12,
            ),
        ],
    ),
    (
        3,
        "Give every child the best start in the early years",
        "Strong early language and good nursery places for every family that wants one.",
        "early-years",
        WorkStatus.ONGOING,
        [
            (
                "1",
                "Run an early language programme in every nursery and reception class.",
                "early-years",
                WorkStatus.IN_PROGRESS,
                8,
            )
        ],
    ),
    (
        4,
        "Make sure every pupil attends school regularly",
        "Attendance is everyone's business: schools, families and services working together.",
        "behaviour-and-attendance",
        WorkStatus.IN_PROGRESS,
        [
            (
                "1",
                "Share attendance figures between schools every half term and act on them together.",
                "behaviour-and-attendance",
                WorkStatus.IN_PROGRESS,
                4,
            ),
            (
                "2",
                "Offer every family of a persistently absent pupil a named contact.",
                "behaviour-and-attendance",
                WorkStatus.NOT_STARTED,
                10,
            ),
        ],
    ),
    (
        5,
        "Raise standards through collaboration, challenge and support",
        "Schools review each other, share what works and get support early when results dip.",
        "school-improvement",
        WorkStatus.IN_PROGRESS,
        [
            (
                "1",
                "Place every school in a peer-review cluster that meets each term.",
                "school-improvement",
                WorkStatus.DONE,
                -6,
            ),
            (
                "2",
                "Visit every priority 1 and 2 school each term and agree the support it needs.",
                "school-improvement",
                WorkStatus.ONGOING,
                3,
            ),
            (
                "3",
                "Run English and maths networks for subject leaders in every phase.",
                "english-network",
                WorkStatus.IN_PROGRESS,
                6,
            ),
        ],
    ),
    (
        6,
        "Meet the needs of children with special educational needs and disabilities",
        "Early identification and good provision in mainstream and special schools.",
        "send",
        WorkStatus.IN_PROGRESS,
        [
            (
                "1",
                "Give every SENCo access to a termly network and specialist advice.",
                "send",
                WorkStatus.IN_PROGRESS,
                5,
            )
        ],
    ),
    (
        7,
        "Recruit, keep and develop excellent teachers and leaders",
        "More trainees placed in our schools and more of them staying to teach here.",
        "teacher-recruitment-and-retention",
        WorkStatus.IN_PROGRESS,
        [
            (
                "1",
                "Increase teacher training places offered by partnership schools.",
                "teacher-recruitment-and-retention",
                WorkStatus.IN_PROGRESS,
                12,
            ),
            (
                "2",
                "Offer every early career teacher a mentor from another school.",
                "teacher-retention-review",
                WorkStatus.NOT_STARTED,
                9,
            ),
        ],
    ),
    (
        8,
        "Widen choices after 16, including apprenticeships and higher education",
        "Every young person in education, employment or training at 16 and 17.",
        "post-16",
        WorkStatus.ONGOING,
        [
            (
                "1",
                "Track every 16 and 17 year old's destination and follow up within a month.",
                "post-16",
                WorkStatus.ONGOING,
                2,
            )
        ],
    ),
    (
        9,
        "Strengthen the curriculum through sustained professional development",
        "Subject networks and shared training that improve teaching in every key stage.",
        "maths-network",
        WorkStatus.IN_PROGRESS,
        [
            (
                "1",
                "Run a maths mastery programme with every primary school that wants one.",
                "maths-network",
                WorkStatus.IN_PROGRESS,
                7,
            ),
            (
                "2",
                "Use digital tools to share lessons and training between schools.",
                "digital-learning",
                WorkStatus.NOT_STARTED,
                11,
            ),
        ],
    ),
    (
        10,
        "Invest in buildings and places so every child learns in a good environment",
        "Enough good school places, in the right places, in buildings fit for learning.",
        "strategic-board",
        WorkStatus.ONGOING,
        [
            (
                "1",
                "Publish a school places plan each year and agree it with trusts.",
                "strategic-board",
                WorkStatus.ONGOING,
                4,
            )
        ],
    ),
]

TRAINEE_SERIES = "Teacher trainees placed in partnership schools"
GOOD_SERIES = "Schools judged good or better (recorded by the partnership)"


def _group(slug):
    """The governance group, if the governance demo (or an admin) created it."""
    return Group.objects.filter(slug=slug).first()


def _la_years(code, phase=""):

    return sorted(
        set(
            Benchmark.objects.filter(
                area=Benchmark.Area.LA, la_code__in=partnership.current().la_codes, measure__code=code, phase=phase
            ).values_list("year", flat=True)
        )
    )


def _absence_phase(code, wanted):
    """Absence rows come per phase (PRI, SEC); fall back to the whole-school row if the demo has no phases."""
    return wanted if _la_years(code, wanted) else ""


def _years(code, phase=""):
    years = _la_years(code, phase)
    if years:
        return years[0], years[-1] + 2
    this_year = current_academic_year()
    return this_year - 3, this_year + 1


def _series(name, unit, description, points):
    series, _ = ManualSeries.objects.get_or_create(name=name, defaults={"unit": unit, "description": description})
    for year, value, source in points:
        ManualPoint.objects.get_or_create(
            series=series,
            year=year,
            defaults={"value": value, "source": source, "entered_on": datetime.date(2026, 1, 15)},
        )
    return series


def _strategy(title, start, end, summary, easy_read):
    strategy, _ = Strategy.objects.get_or_create(
        title=title, defaults={"start_year": start, "end_year": end, "summary": summary, "easy_read_summary": easy_read}
    )
    return strategy


def _target(strategy, objective_number, order, title, **fields):
    objective = strategy.objectives.filter(number=objective_number).first()
    measure_code = fields.pop("measure_code", None)
    if measure_code:
        fields["measure"] = Measure.objects.filter(code=measure_code).first()
        if fields["measure"] is None:
            return None
    target, _ = Target.objects.get_or_create(
        strategy=strategy, title=title, defaults={"objective": objective, "order": order, **fields}
    )
    return target


def _current_strategy(start, end):
    strategy = _strategy(TITLE, start, end, SUMMARY, EASY_READ)
    if not strategy.vision_statements.exists():
        VisionStatement.objects.bulk_create(
            VisionStatement(strategy=strategy, order=i, text=text) for i, text in enumerate(VISION)
        )
    if not strategy.values.exists():
        StrategyValue.objects.bulk_create(
            StrategyValue(strategy=strategy, order=i, text=text) for i, text in enumerate(VALUES)
        )
    today = datetime.date(current_academic_year() + 1, 1, 1)
    for number, title, description, lead, status, goals in OBJECTIVES:
        objective, created = Objective.objects.get_or_create(
            strategy=strategy,
            number=number,
            defaults={"title": title, "description": description, "led_by": _group(lead), "status": status},
        )
        if not created and objective.led_by is None and _group(lead):
            objective.led_by = _group(lead)
            objective.save(update_fields=["led_by"])
        for order, (goal_number, text, owner, goal_status, months) in enumerate(goals):
            Goal.objects.get_or_create(
                objective=objective,
                number=goal_number,
                defaults={
                    "order": order,
                    "text": text,
                    "owner": _group(owner),
                    "status": goal_status,
                    "due_date": today + datetime.timedelta(days=30 * months),
                },
            )

    ks2_base, ks2_target = _years("ks2_rwm_exp")
    _target(
        strategy,
        5,
        1,
        "KS2 expected standard: gap to England closed by half",
        headline=True,
        kind=Target.Kind.CLOSE_GAP,
        source=Target.Source.LA,
        measure_code="ks2_rwm_exp",
        baseline_year=ks2_base,
        target_year=ks2_target,
        fraction=0.5,
    )
    ks4_base, ks4_target = _years("ks4_p8")
    _target(
        strategy,
        5,
        2,
        "Progress 8: gap to England closed by half",
        kind=Target.Kind.CLOSE_GAP,
        source=Target.Source.LA,
        measure_code="ks4_p8",
        baseline_year=ks4_base,
        target_year=ks4_target,
        fraction=0.5,
    )
    this = current_academic_year()
    good = _series(
        GOOD_SERIES,
        ManualSeries.Unit.PERCENT,
        "Earlier years' share of schools judged good or better, from Ofsted's published statistics.",
        [
            (this - 3, 84.0, "Ofsted official statistics, 31 August"),
            (this - 2, 86.5, "Ofsted official statistics, 31 August"),
            (this - 1, 88.0, "Ofsted official statistics, 31 August"),
        ],
    )
    _target(
        strategy,
        5,
        3,
        "Schools judged good or better by Ofsted: 95%",
        headline=True,
        kind=Target.Kind.REACH,
        source=Target.Source.GOOD_OR_BETTER,
        manual_series=good,
        baseline_year=this - 3,
        target_year=this + 1,
        target_value=95,
    )
    phase = _absence_phase("abs_persistent", "PRI")
    abs_base, abs_target = _years("abs_persistent", phase)
    _target(
        strategy,
        4,
        1,
        "Persistent absence in primary schools: at or below England",
        headline=True,
        kind=Target.Kind.AT_OR_BETTER,
        source=Target.Source.LA,
        measure_code="abs_persistent",
        phase=phase,
        baseline_year=abs_base,
        target_year=abs_target,
    )
    sec = _absence_phase("abs_persistent", "SEC")
    if sec:
        sec_base, sec_target = _years("abs_persistent", sec)
        _target(
            strategy,
            4,
            2,
            "Persistent absence in secondary schools: gap to England halved",
            kind=Target.Kind.CLOSE_GAP,
            source=Target.Source.LA,
            measure_code="abs_persistent",
            phase=sec,
            baseline_year=sec_base,
            target_year=sec_target,
            fraction=0.5,
        )
    trainees = _series(
        TRAINEE_SERIES,
        ManualSeries.Unit.COUNT,
        "Trainee teachers on placement in partnership schools, counted each autumn.",
        [
            (this - 3, 120, "Partnership ITT census return"),
            (this - 2, 124, "Partnership ITT census return"),
            (this - 1, 131, "Partnership ITT census return"),
        ],
    )
    _target(
        strategy,
        7,
        1,
        "Teacher trainees: up 15%",
        headline=True,
        kind=Target.Kind.CHANGE_PERCENT,
        source=Target.Source.MANUAL,
        manual_series=trainees,
        baseline_year=this - 3,
        target_year=this + 1,
        percent=15,
    )
    return strategy


def _past_strategy(start, end):
    strategy = _strategy(
        PAST_TITLE,
        start,
        end,
        "The partnership's first strategy, agreed when the partnership was set up.",
        "This was our first plan for schools. We have a new plan now.",
    )
    if not strategy.vision_statements.exists():
        VisionStatement.objects.create(
            strategy=strategy, order=0, text="Every school in the area good or better, working as one partnership."
        )
    Objective.objects.get_or_create(
        strategy=strategy,
        number=1,
        defaults={
            "title": "Set up the partnership's boards and groups",
            "status": WorkStatus.DONE,
            "led_by": _group("strategic-board"),
        },
    )
    Objective.objects.get_or_create(
        strategy=strategy,
        number=2,
        defaults={
            "title": "Agree one way of looking at every school's results",
            "status": WorkStatus.DONE,
            "led_by": _group("school-improvement"),
        },
    )
    base, _ = _years("ks2_rwm_exp")
    _target(
        strategy,
        2,
        1,
        "KS2 expected standard at or above England",
        kind=Target.Kind.AT_OR_BETTER,
        source=Target.Source.LA,
        measure_code="ks2_rwm_exp",
        baseline_year=base,
        target_year=base + 1,
    )
    return strategy


@transaction.atomic
def load(stdout):
    # The strategy starts the year after its KS2 baseline results and ends the year its targets fall due.
    base, target = _years("ks2_rwm_exp")
    past = _past_strategy(base - 3, base)
    current = _current_strategy(base + 1, target + 1)
    if past.status != Strategy.Status.PUBLISHED:
        past.publish()
    if not current.is_current:
        current.publish()
    count = recompute_targets()
    stdout.write(
        f"Strategy: “{current.title}” is current with {current.objectives.count()} objectives and "
        f"{current.targets.count()} targets; {Strategy.objects.past().count()} past strategy; {count} targets worked out."
    )
