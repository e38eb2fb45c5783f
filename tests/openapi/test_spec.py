"""docs/oletv-api.yaml is a valid OpenAPI 3.0 document (openapi-spec-validator),
and openapi-core, which checks every exchange with the sandbox, does refuse
what the document forbids (so a silent validator cannot pass the suite)."""
import copy
import json

import pytest
from openapi_core import OpenAPI
from openapi_core.testing import MockRequest, MockResponse
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from openapi_contract import DOC_PATH, document, openapi

HOST = "http://127.0.0.1:8099"
SUBSCRIBER = {
    "account_number": "OLE-000001", "login": "ana@example.com", "status": "active",
    "main_package": "BASIC", "additional_packages": [], "mac_devices": ["AA:BB:CC:DD:EE:FF"],
    "equipment": None, "technology": "iptv", "external_ref": None,
    "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",
    "first_access_at": "2026-01-02T00:00:00Z",
}
AUTH = {"X-Access-Token": "t", "Authorization": "Basic aXNwOnB3"}


def test_document_passes_openapi_spec_validator():
    validate(copy.deepcopy(document()), base_uri="file://" + DOC_PATH)


def test_spec_validator_refuses_a_broken_document():
    broken = copy.deepcopy(document())
    del broken["components"]["schemas"]["Subscriber"]  # still referenced
    with pytest.raises(Exception):
        validate(broken)
    broken = copy.deepcopy(document())
    broken["paths"]["/v1/ping"]["get"]["responses"]["200"].pop("description")
    with pytest.raises(OpenAPIValidationError):
        validate(broken)


def test_document_is_openapi_3_with_every_operation():
    doc = document()
    assert doc["openapi"].startswith("3.0")
    assert doc["servers"][0]["url"] == "{baseUrl}"
    operations = {op["operationId"] for item in doc["paths"].values()
                  for op in item.values() if isinstance(op, dict) and "operationId" in op}
    assert {"check_connection", "list_packages", "list_equipment_models",
            "create_subscriber", "get_subscriber", "list_subscribers", "block_subscriber",
            "release_subscriber", "change_packages", "delete_subscriber",
            "billing_statement"} <= operations


def _response_errors(path, body, status=200, method="get", spec=None):
    request = MockRequest(HOST, method, path, headers=AUTH)
    response = MockResponse(json.dumps(body).encode(), status_code=status)
    result = (spec or openapi()).unmarshal_response(request, response)
    return result.errors


def test_openapi_core_accepts_a_documented_answer():
    assert not _response_errors("/v1/subscribers/OLE-000001", SUBSCRIBER)


@pytest.mark.parametrize("status, body", [
    (200, dict(SUBSCRIBER, status="zombie")),                    # not in the enum
    (200, dict(SUBSCRIBER, account_number="123")),              # pattern
    (200, dict(SUBSCRIBER, colour="red")),                      # additionalProperties
    (200, {k: v for k, v in SUBSCRIBER.items() if k != "login"}),  # required
    (200, dict(SUBSCRIBER, mac_devices=["aa:bb:cc:dd:ee:ff"])),  # answers are upper-case
    (404, {"error": {"code": "teapot", "message": "x"}}),       # unknown error code
    (418, {"error": {"code": "not_found", "message": "x"}}),    # undocumented status
])
def test_openapi_core_refuses_drift(status, body):
    assert _response_errors("/v1/subscribers/OLE-000001", body, status=status)


def test_openapi_core_refuses_an_invalid_request():
    body = json.dumps({"login": "not-an-email", "main_package": "BASIC",
                       "technology": "iptv"}).encode()
    request = MockRequest(HOST, "post", "/v1/subscribers", headers=AUTH, data=body)
    assert openapi().unmarshal_request(request).errors
    body = json.dumps({"login": "ana@example.com", "main_package": "BASIC",
                       "technology": "iptv"}).encode()
    valid = MockRequest(HOST, "post", "/v1/subscribers", headers=AUTH, data=body)
    assert not openapi().unmarshal_request(valid).errors
    assert openapi().unmarshal_request(
        MockRequest(HOST, "post", "/v1/subscribers", data=body)).errors  # no credentials


def test_servers_template_matches_any_base_url():
    """The sandbox listens on a free port: the document's `{baseUrl}` server
    must match it, or every exchange would fail as an unknown server."""
    spec = OpenAPI.from_dict(copy.deepcopy(document()))
    request = MockRequest("http://127.0.0.1:45678", "get", "/v1/subscribers/OLE-000001",
                          headers=AUTH)
    response = MockResponse(json.dumps(SUBSCRIBER).encode())
    assert not spec.unmarshal_response(request, response).errors
