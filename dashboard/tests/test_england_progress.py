"""England's progress is shown one way on every page: 0, by definition (the DfE leaves the cell blank)."""

import pytest

from tests.world import build_world

pytestmark = pytest.mark.django_db


def test_progress_reads_0_by_definition_on_the_school_dashboard_and_the_public_page(personas, client_for):
    world = build_world(personas)
    private = client_for("officer").get(f"/dashboard/schools/{world.school_a.urn}/").content.decode()
    bands = private.split("Bands by measure")[1].split("</table>")[0]
    reading = bands.split("KS2 reading progress")[1].split("</tr>")[0]
    assert "0 (England, by definition)" in reading
    assert "England (0 by definition)" in private  # the chart and its table
    public = client_for("anonymous").get(f"/schools/{world.school_a.urn}/").content.decode()
    assert "0 (by definition)" in public and "England (0 by definition)" in public


def test_chart_series_never_take_a_band_colour(personas, client_for):
    from pep_portal.charts import BAND_COLOURS, ENGLAND_COLOUR, LA_COLOUR, PALETTE

    assert not (set(PALETTE) | {ENGLAND_COLOUR, LA_COLOUR}) & BAND_COLOURS
    world = build_world(personas)
    page = client_for("officer").get(f"/dashboard/schools/{world.school_a.urn}/").content.decode()
    for colour in BAND_COLOURS:
        assert f'"color":"{colour}"' not in page
    assert '"name":"LA","x"' in page and f'"color":"{LA_COLOUR}"' in page and f'"color":"{ENGLAND_COLOUR}"' in page
