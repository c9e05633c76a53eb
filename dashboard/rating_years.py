"""Which academic year each measure is rated on: plain Python, no Django.

The DfE publishes each kind of data on its own calendar (KS4 provisional in October, KS2 in
September and December, absence a year behind), so each core measure uses the latest academic year
imported for its kind of file. A kind whose latest year is more than `STALE_AFTER` years older than
the newest year of any kind is stale: its measures are not rated, with the reason ("no figures since
2019/20"). The run is labelled with the newest year.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from schools.years import year_label

STALE_AFTER = 2



@dataclass(frozen=True)
class RatingYears:
    newest: int
    by_kind: dict = field(default_factory=dict)  # kind -> latest year imported for it
    # True when every measure is rated on `newest` (one year given, e.g. a test or a chosen year).
    single: bool = False

    @classmethod
    def same(cls, year):
        return cls(newest=year, single=True)

    def for_kind(self, kind):
        """(year to rate on or None, reason it is not rated or "")."""
        if self.single:
            return self.newest, ""
        year = self.by_kind.get(kind)
        if year is None:
            return None, f"no {kind} figures imported"
        if self.newest - year > STALE_AFTER:
            return None, f"no figures since {year_label(year)}"
        return year, ""

    @property
    def oldest(self):
        years = [y for k, y in self.by_kind.items() if self.for_kind(k)[0] is not None]
        return min(years, default=self.newest)


def rating_years(latest_by_kind):
    """{kind: latest year imported} -> RatingYears (None when nothing was imported)."""
    by_kind = {k: y for k, y in latest_by_kind.items() if y is not None}
    if not by_kind:
        return None
    return RatingYears(newest=max(by_kind.values()), by_kind=by_kind)
