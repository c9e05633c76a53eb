"""The measure catalogue the engine's unit tests rate with: the agreed measures as the schools migrations
seed them (schools/tests/test_measure_catalogue.py checks this copy against the seeded rows)."""

from dashboard.ratings import Catalogue, MeasureInfo, Polarity

H, L, N = Polarity.HIGHER, Polarity.LOWER, Polarity.NONE
REPORT_CARD_AREAS = ("safeguarding", "inclusion", "curriculum", "achievement", "attendance", "personal_dev",
                     "early_years", "post16", "leadership")

CATALOGUE = Catalogue(
    MeasureInfo(*row)
    for row in (
        ("ks2_rwm_exp", "KS2 RWM", H, "percent", "ks2"),
        ("ks2_rwm_high", "KS2 RWM higher standard", H, "percent", "ks2"),
        ("ks2_read_prog", "KS2 reading progress", H, "score", "ks2"),
        ("ks2_writ_prog", "KS2 writing progress", H, "score", "ks2"),
        ("ks2_mat_prog", "KS2 maths progress", H, "score", "ks2"),
        ("ks2_dis_rwm_exp", "KS2 disadvantaged RWM", H, "percent", "ks2"),
        ("ks4_att8", "KS4 Attainment 8", H, "score", "ks4"),
        ("ks4_p8", "KS4 Progress 8", H, "score", "ks4"),
        ("ks4_basics_95", "KS4 grade 5+ English and maths", H, "percent", "ks4"),
        ("ks4_ebacc_aps", "KS4 EBacc APS", H, "score", "ks4"),
        ("abs_overall", "overall absence", L, "percent", "absence"),
        ("abs_persistent", "persistent absence", L, "percent", "absence"),
        ("abs_persistent_15", "persistent absence (15% threshold)", L, "percent", "absence"),
        ("suspension_rate", "suspension rate", L, "rate", "suspensions"),
        ("perm_exclusion_rate", "permanent exclusion rate", L, "rate", "suspensions"),
        ("pupils", "pupils", N, "count", "census"),
        ("fsm_percent", "FSM", N, "percent", "census"),
        ("sen_percent", "SEN", N, "percent", "census"),
        ("eal_percent", "EAL", N, "percent", "census"),
        *((f"ofsted_rc_{area}", f"Ofsted report card: {area.replace('_', ' ')}", N, "grade", "ofsted")
          for area in REPORT_CARD_AREAS),
    )
)
