from events.tests.conftest import make_event  # noqa: F401 - the events fixture, for event documents
