"""Mapping of every platform/network failure to the OleTVError hierarchy."""
import pickle

import pytest
import requests

from conftest import BASE_URL, LOGIN, PASSWORD, TOKEN
from oletv_client import (AuthenticationError, AwaitingActivationError, ConflictError,
                          ForbiddenError, InvalidResponseError, IPNotAllowedError,
                          LoginTakenError, NotFoundError, OleTVClient, OleTVError,
                          PlatformTimeoutError, RateLimitedError, UnavailableError,
                          ValidationError)
from oletv_sandbox.testing import free_port

V1 = BASE_URL + "/v1"
ACC_URL = V1 + "/subscribers/OLE-000001"


def error_body(code, message="boom", **extra):
    error = {"code": code, "message": message}
    error.update(extra)
    return {"error": error}


@pytest.mark.parametrize("status, body, exc_class, code, transient", [
    (401, error_body("unauthorized", "bad credentials"), AuthenticationError,
     "unauthorized", False),
    (403, error_body("forbidden", "not for you"), ForbiddenError, "forbidden", False),
    (404, error_body("not_found", "Subscriber OLE-000001 not found."), NotFoundError,
     "not_found", False),
    (409, error_body("conflict", "state clash"), ConflictError, "conflict", False),
    (409, error_body("awaiting_activation", "no first access"), AwaitingActivationError,
     "awaiting_activation", False),
    (422, error_body("malformed_json", "not JSON"), ValidationError, "malformed_json", False),
    (500, error_body("internal_error", "oops"), UnavailableError, "internal_error", True),
])
def test_http_errors_map_to_the_hierarchy(api, fake_client, status, body, exc_class,
                                          code, transient):
    api.add("POST", ACC_URL + "/block", status=status, json=body)
    with pytest.raises(exc_class) as info:
        fake_client.block_subscriber("OLE-000001")
    error = info.value
    assert isinstance(error, OleTVError)
    assert (error.status_code, error.code, error.transient) == (status, code, transient)
    assert error.message == body["error"]["message"]
    assert body["error"]["message"] in str(error)


def test_ip_not_allowed_carries_the_client_ip(api, fake_client):
    api.add("GET", V1 + "/ping", status=403,
            json=error_body("ip_not_allowed", "IP refused", client_ip="203.0.113.9"))
    with pytest.raises(IPNotAllowedError) as info:
        fake_client.check_connection()
    assert isinstance(info.value, ForbiddenError)
    assert info.value.client_ip == "203.0.113.9"
    assert "203.0.113.9" in str(info.value)


def test_login_taken_is_a_conflict(api, fake_client):
    api.add("POST", V1 + "/subscribers", status=409,
            json=error_body("login_taken", "login in use", details={"login": "already in use"}))
    with pytest.raises(LoginTakenError) as info:
        fake_client.create_subscriber("ana@example.com", "BASIC")
    assert isinstance(info.value, ConflictError)
    assert info.value.details == {"login": "already in use"}


def test_validation_error_keeps_details_per_field(api, fake_client):
    details = {"login": "must be a valid e-mail address", "main_package": "unknown"}
    api.add("POST", V1 + "/subscribers", status=422,
            json=error_body("validation_error", "invalid fields", details=details))
    with pytest.raises(ValidationError) as info:
        fake_client.create_subscriber("nope", "XX")
    assert info.value.details == details
    assert "login: must be a valid e-mail address" in str(info.value)


def test_rate_limited_reads_retry_after_and_is_not_retried(api, fake_client):
    api.add("GET", V1 + "/packages", status=429, headers={"Retry-After": "7"},
            json=error_body("rate_limited", "slow down"))
    with pytest.raises(RateLimitedError) as info:
        fake_client.list_packages()
    assert info.value.retry_after == 7.0
    assert info.value.transient
    assert len(api.calls) == 1


def test_unavailable_after_get_retries(api, fake_client, records):
    for _ in range(3):
        api.add("GET", V1 + "/packages", status=503, json=error_body("unavailable", "later"))
    with pytest.raises(UnavailableError) as info:
        fake_client.list_packages()
    assert info.value.status_code == 503 and info.value.transient
    assert [r.attempt for r in records] == [1, 2, 3]


def test_non_json_error_page_maps_by_status(api, fake_client):
    api.add("DELETE", ACC_URL, status=502, body="<html>Bad gateway</html>")
    with pytest.raises(UnavailableError) as info:
        fake_client.delete_subscriber("OLE-000001")
    assert info.value.status_code == 502 and info.value.code is None


def test_malformed_json_from_server_is_invalid_response(api, fake_client):
    api.add("GET", ACC_URL, status=200, body="{not json", content_type="application/json")
    with pytest.raises(InvalidResponseError) as info:
        fake_client.get_subscriber("OLE-000001")
    assert isinstance(info.value, UnavailableError)


def test_json_without_expected_fields_is_invalid_response(api, fake_client):
    api.add("GET", ACC_URL, status=200, json={"unexpected": True})
    with pytest.raises(InvalidResponseError):
        fake_client.get_subscriber("OLE-000001")


@pytest.mark.parametrize("failure, exc_class", [
    (requests.exceptions.ConnectTimeout("connect timed out"), PlatformTimeoutError),
    (requests.exceptions.ReadTimeout("read timed out"), PlatformTimeoutError),
    (requests.exceptions.ConnectionError("connection refused"), UnavailableError),
])
def test_network_failures_are_transient(api, fake_client, failure, exc_class):
    api.add("POST", V1 + "/subscribers", body=failure)
    with pytest.raises(exc_class) as info:
        fake_client.create_subscriber("ana@example.com", "BASIC")
    assert info.value.transient and info.value.status_code is None
    assert not isinstance(info.value, requests.exceptions.RequestException)


def test_real_connection_refused_is_unavailable():
    client = OleTVClient("http://127.0.0.1:{}".format(free_port()), TOKEN, LOGIN, PASSWORD,
                         timeout=(1, 1), read_retries=1, backoff=0)
    with pytest.raises(UnavailableError) as info:
        client.check_connection()
    assert "connection failed" in str(info.value)


def test_invalid_base_url_is_a_non_transient_error():
    client = OleTVClient("not-a-url", TOKEN, LOGIN, PASSWORD)
    with pytest.raises(OleTVError) as info:
        client.check_connection()
    assert not info.value.transient


def test_exceptions_survive_pickling():
    error = RateLimitedError("slow down", retry_after=3.0, details={"a": "b"})
    clone = pickle.loads(pickle.dumps(error))
    assert type(clone) is RateLimitedError
    assert (clone.message, clone.retry_after, clone.details, clone.status_code) == (
        "slow down", 3.0, {"a": "b"}, 429)
    assert str(clone) == str(error)
