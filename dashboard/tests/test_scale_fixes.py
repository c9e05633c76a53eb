"""The dashboard school list's trust filter after its choices were cached (bench/README.md)."""

import pytest

from tests.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    return build_world(personas)


def test_it_filters_the_school_list_by_trust(world, client_for):
    officer = client_for("officer")
    page = officer.get("/dashboard/schools/").content.decode()
    assert f'<option value="{world.trust_a.pk}">{world.trust_a.name}</option>' in page
    response = officer.get(f"/dashboard/schools/?trust={world.trust_a.pk}")
    shown = {row.record.school_id for row in response.context["table"].paginated_rows}
    assert world.school_a.pk in shown and world.school_b.pk not in shown
    assert officer.get("/dashboard/schools/?trust=999999").status_code == 200  # not a choice: ignored, no error
