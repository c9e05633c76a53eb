import pytest

from events.tests.conftest import make_event  # noqa: F401 - the events fixture, for the bulletin's coming events


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Uploaded images go to a throwaway folder, never the checkout's media/.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def editor(db):
    """A member of the Communications editor group (not an admin)."""
    from conftest import make_user

    return make_user("editor@example.org", ["Communications editor"], first_name="Eda")


@pytest.fixture
def editor_client(client, editor):
    from conftest import sign_in

    return sign_in(client, editor)


@pytest.fixture
def admin_client_for(client_for):
    """A partnership admin (an editor by role)."""
    return client_for("admin")
