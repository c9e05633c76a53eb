"""The measure catalogue as the rating engine takes it, read from the Measure table.

The Measure table is the one catalogue: admins edit labels, units and polarity there, and ratings,
strategy targets and imports all read it. Built afresh on every call (one small query), so a rating
run or a page never works from a catalogue older than the last admin edit.
"""

from dashboard.rating_basics import Catalogue, MeasureInfo, Polarity

from .models import Measure


def units():
    """{measure code: unit}: how an import checks each measure's cells."""
    return dict(Measure.objects.values_list("code", "unit"))


def catalogue():
    """Every measure as the engine's Catalogue; the reasons label falls back to the short label."""
    rows = Measure.objects.values_list("code", "reasons_label", "short_label", "label", "polarity", "unit", "kind")
    return Catalogue(
        MeasureInfo(code, reasons or short or label, Polarity(polarity), unit, kind)
        for code, reasons, short, label, polarity, unit, kind in rows
    )
