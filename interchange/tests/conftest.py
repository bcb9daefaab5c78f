import pytest

from testing.lrs import PASSWORD, USERNAME, RalphLRS


@pytest.fixture
def lrs(tmp_path, settings):
    """A running ralph LRS, and the platform configured to send to it."""
    server = RalphLRS(tmp_path)
    server.start()
    settings.XAPI_ENDPOINT = server.endpoint
    settings.XAPI_USERNAME, settings.XAPI_PASSWORD = USERNAME, PASSWORD
    settings.XAPI_ACTIVITY_BASE = "https://academy.example"
    settings.XAPI_REFLECTION_SETTLE_SECONDS = 0
    yield server
    server.stop()
