"""The report model's own arithmetic, tested alone: suppression of small counts and a target's trend."""

import pytest

from reports.document import (
    IMPROVING,
    SAME,
    UNKNOWN,
    WORSE,
    Table,
    change_text,
    count_text,
    suppress_counts,
    trend,
)


def test_it_withholds_counts_of_one_or_two_schools_and_the_next_smallest():
    shown = suppress_counts({"1": 2, "2": 14, "3": 40, "": 5})
    assert shown == {"1": None, "2": 14, "3": 40, "": None}
    assert count_text(shown["1"]) == "fewer than 3"


def test_it_keeps_zero_and_counts_of_three_or_more():
    assert suppress_counts({"1": 0, "2": 3, "3": 10}) == {"1": 0, "2": 3, "3": 10}


def test_two_withheld_counts_need_no_third():
    assert suppress_counts({"1": 1, "2": 2, "3": 30}) == {"1": None, "2": None, "3": 30}


def test_a_change_is_not_shown_when_either_side_is_withheld():
    assert change_text(None, 5) == "not shown"
    assert change_text(7, 5) == "−2"
    assert change_text(5, 7) == "+2"
    assert change_text(5, 5) == "no change"


@pytest.mark.parametrize(
    "rows, measured, lower, expected",
    [
        ([{"year": 2017, "value": 60.0}, {"year": 2018, "value": 62.0}], "value", False, (IMPROVING, 2017)),
        ([{"year": 2017, "value": 8.0}, {"year": 2018, "value": 9.0}], "value", True, (WORSE, 2017)),
        ([{"year": 2017, "gap": 6.0}, {"year": 2018, "gap": 4.0}], "gap", False, (IMPROVING, 2017)),
        ([{"year": 2016, "gap": 3.0}, {"year": 2017, "gap": None}, {"year": 2018, "gap": 3.0}], "gap", False,
         (SAME, 2016)),
        ([{"year": 2018, "value": 60.0}], "value", False, (UNKNOWN, None)),
    ],
)
def test_the_trend_compares_the_latest_figure_with_the_one_before(rows, measured, lower, expected):
    assert trend(rows, measured, lower) == expected


def test_a_table_refuses_a_figure_that_is_not_yet_text():
    with pytest.raises(TypeError):
        Table(caption="x", columns=("a", "b"), rows=(("a", 1),))
    with pytest.raises(ValueError):
        Table(caption="x", columns=("a", "b"), rows=(("a",),))


def test_a_chart_writes_every_value_and_names_every_series():
    from reports.chart import BarChart

    chart = BarChart(title="visits", categories=("Autumn term 2026/27", "Spring <term>"),
                     series=(("Visits planned", (1200, 0)), ("Visits done", (845, 0))))
    svg = chart.svg()
    assert svg.startswith("<svg") and "1,200" in svg and "845" in svg
    assert "Visits planned" in svg and "Visits done" in svg and "Spring &lt;term&gt;" in svg
    assert "the figures are in the table" in chart.alt
    assert chart.data_uri().startswith("data:image/svg+xml;base64,")
