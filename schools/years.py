"""Academic years, the one home for turning dates into years and years into words.

Pure Python: the rating engine imports it, and it must not pull Django in.

An academic year is named by the calendar year it starts in: 2023 is 2023/24, which runs from
September 2023 to August 2024.
"""


def academic_year_of(day):
    """The academic year a date falls in: 12 June 2024 is in 2023/24 (2023), 1 September 2024 in 2024."""
    return day.year if day.month >= 9 else day.year - 1


def year_label(year):
    """2023 -> "2023/24"; no year -> "" so a template's `default` or `if` can choose its own words."""
    if year is None:
        return ""
    return f"{year}/{(year + 1) % 100:02d}"
