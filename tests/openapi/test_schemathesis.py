"""Property-based API tests generated from docs/oletv-api.yaml by schemathesis,
against a sandbox subprocess: every /v1 operation with valid and invalid
generated data must answer without a server error, with a documented status,
content type, body and headers. Deterministic (derandomized Hypothesis) and
bounded (a few examples per operation)."""
import base64

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from oletv_sandbox.testing import SandboxServer
from openapi_contract import DOC_PATH

MAX_EXAMPLES = 15

schema = schemathesis.openapi.from_path(DOC_PATH).include(path_regex="^/v1/")


@pytest.fixture(scope="module")
def platform():
    """A sandbox of its own: generated calls create subscribers at random."""
    server = SandboxServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def credentials(platform):
    basic = base64.b64encode("{}:{}".format(platform.login, platform.password).encode()).decode()
    return {"X-Access-Token": platform.token, "Authorization": "Basic " + basic}


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_v1_operations_conform(case, platform, credentials):
    # Every default check but positive_data_acceptance: a request valid for the
    # schema may still be refused by the platform's rules, which no schema can
    # state (catalog codes and package kinds, "Ponto adicional" with an
    # equipment, one live subscriber per login, no block before the first
    # access, unknown account numbers).
    case.call_and_validate(base_url=platform.url, headers=credentials,
                           excluded_checks=[positive_data_acceptance])
