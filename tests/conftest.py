"""Shared fixtures of the pure-Python tests (run: pytest -p no:odoo tests/)."""
import os
import sys

import pytest
import requests
import responses

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
for _path in (os.path.join(REPO_ROOT, "oletv_integration"), REPO_ROOT):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from oletv_client import OleTVClient  # noqa: E402
from oletv_sandbox.testing import SandboxServer  # noqa: E402

# In the CPython 3.12 stage of `make test` (OLETV_OPENAPI_VALIDATE=1) every
# exchange of the live client and of the sandbox's admin helper with the
# sandbox is validated against docs/oletv-api.yaml by openapi-core, which does
# not run on 3.7. A test that sends invalid requests on purpose says so with
# @pytest.mark.openapi_invalid_requests (and must then send at least one).
OPENAPI_VALIDATE = os.environ.get("OLETV_OPENAPI_VALIDATE") == "1"
if OPENAPI_VALIDATE:
    from openapi_contract import ExchangeLog  # noqa: E402
    EXCHANGES = ExchangeLog()

BASE_URL = "http://oletv.test"
TOKEN = "tok-SECRET-1234567890"
LOGIN = "isp-api"
PASSWORD = "pw-SECRET-0987654321"


@pytest.fixture(scope="session")
def sandbox_server():
    """One sandbox subprocess for the whole session."""
    server = SandboxServer()
    if OPENAPI_VALIDATE:
        EXCHANGES.attach(server._admin)  # the admin helper's own session
    server.start()
    yield server
    server.stop()


@pytest.fixture
def sandbox(sandbox_server):
    """The shared sandbox, wiped before each test that uses it."""
    sandbox_server.reset()
    yield sandbox_server
    sandbox_server.reset()


@pytest.fixture(autouse=True)
def openapi_exchanges(request):
    """With OLETV_OPENAPI_VALIDATE=1: the test's validated exchanges; every
    response must conform, and every request unless the test is marked."""
    if not OPENAPI_VALIDATE:
        yield None
        return
    del EXCHANGES[:]
    yield EXCHANGES
    failures = EXCHANGES.response_failures()
    assert not failures, "responses that do not conform to docs/oletv-api.yaml: {}".format(
        failures)
    invalid = EXCHANGES.request_failures()
    if request.node.get_closest_marker("openapi_invalid_requests"):
        assert invalid, "marked openapi_invalid_requests but every request conformed"
    else:
        assert not invalid, "requests that do not conform to docs/oletv-api.yaml: {}".format(
            invalid)


@pytest.fixture
def live_client(sandbox):
    session = requests.Session()
    if OPENAPI_VALIDATE:
        EXCHANGES.attach(session)
    client = OleTVClient(sandbox.url, sandbox.token, sandbox.login, sandbox.password,
                         timeout=(2, 5), backoff=0, session=session)
    yield client
    client.close()
    session.close()


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
