import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Uploaded papers go to a throwaway folder, never the checkout's media/.
    settings.MEDIA_ROOT = tmp_path / "media"
