"""Shared fixtures of the pure-Python tests (run: pytest -p no:odoo tests/)."""
import os
import sys

import pytest
import responses

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
for _path in (os.path.join(REPO_ROOT, "oletv_integration"), REPO_ROOT):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from oletv_client import OleTVClient  # noqa: E402
from oletv_sandbox.testing import SandboxServer  # noqa: E402

BASE_URL = "http://oletv.test"
TOKEN = "tok-SECRET-1234567890"
LOGIN = "isp-api"
PASSWORD = "pw-SECRET-0987654321"


@pytest.fixture(scope="session")
def sandbox_server():
    """One sandbox subprocess for the whole session."""
    server = SandboxServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def sandbox(sandbox_server):
    """The shared sandbox, wiped before each test that uses it."""
    sandbox_server.reset()
    yield sandbox_server
    sandbox_server.reset()


@pytest.fixture
def live_client(sandbox):
    client = OleTVClient(sandbox.url, sandbox.token, sandbox.login, sandbox.password,
                         timeout=(2, 5), backoff=0)
    yield client
    client.close()


class Recorder(list):
    """Collects the CallRecords given to a client's ``call_observer``."""

    def observe(self, record):
        self.append(record)


@pytest.fixture
def records():
    return Recorder()


@pytest.fixture
def api():
    """``responses`` mock of the platform; every registered call must be used."""
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


@pytest.fixture
def fake_client(records):
    """A client against ``BASE_URL`` (mock with ``responses``), no backoff."""
    client = OleTVClient(BASE_URL, TOKEN, LOGIN, PASSWORD, backoff=0,
                         call_observer=records.observe)
    yield client
    client.close()
