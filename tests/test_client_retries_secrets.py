"""GET-only retries, and secrets kept out of errors, logs, records and repr."""
import logging

import pytest
import requests

from conftest import BASE_URL, LOGIN, PASSWORD, TOKEN
from oletv_client import (AuthenticationError, OleTVClient, OleTVError,
                          PlatformTimeoutError, UnavailableError, redact)
from oletv_client.redact import basic_auth_value

V1 = BASE_URL + "/v1"
SECRETS = (TOKEN, PASSWORD, basic_auth_value(LOGIN, PASSWORD))
PING = {"status": "ok", "client_ip": "127.0.0.1", "environment": "homologation"}


def assert_no_secret(text):
    for secret in SECRETS:
        assert secret not in (text or "")


@pytest.mark.parametrize("first_failure", [
    {"status": 503, "json": {"error": {"code": "unavailable", "message": "later"}}},
    {"status": 502, "body": "bad gateway"},
    {"status": 504, "body": "gateway timeout"},
    {"body": requests.exceptions.ConnectTimeout("connect timed out")},
    {"body": requests.exceptions.ReadTimeout("read timed out")},
    {"body": requests.exceptions.ConnectionError("refused")},
])
def test_get_is_retried_after_transient_failures(api, fake_client, records, first_failure):
    api.add("GET", V1 + "/ping", **first_failure)
    api.add("GET", V1 + "/ping", json=PING)
    assert fake_client.check_connection().environment == "homologation"
    assert len(api.calls) == 2
    assert [r.attempt for r in records] == [1, 2]
    assert records[0].error is not None and records[1].error is None


def test_get_is_not_retried_on_500_or_4xx(api, fake_client):
    api.add("GET", V1 + "/ping", status=500,
            json={"error": {"code": "internal_error", "message": "bug"}})
    with pytest.raises(UnavailableError):
        fake_client.check_connection()
    assert len(api.calls) == 1


def test_read_retries_zero_disables_get_retries(api):
    api.add("GET", V1 + "/ping", status=503, body="down")
    client = OleTVClient(BASE_URL, TOKEN, LOGIN, PASSWORD, read_retries=0, backoff=0)
    with pytest.raises(UnavailableError):
        client.check_connection()
    assert len(api.calls) == 1


@pytest.mark.parametrize("call, method, url", [
    (lambda c: c.create_subscriber("ana@example.com", "BASIC"), "POST", "/subscribers"),
    (lambda c: c.block_subscriber("OLE-1"), "POST", "/subscribers/OLE-1/block"),
    (lambda c: c.release_subscriber("OLE-1"), "POST", "/subscribers/OLE-1/release"),
    (lambda c: c.change_packages("OLE-1", "BASIC"), "PUT", "/subscribers/OLE-1/packages"),
    (lambda c: c.delete_subscriber("OLE-1"), "DELETE", "/subscribers/OLE-1"),
])
@pytest.mark.parametrize("failure", [
    {"status": 503, "body": "down"},
    {"body": requests.exceptions.ReadTimeout("read timed out")},
    {"body": requests.exceptions.ConnectionError("refused")},
])
def test_writes_are_never_resent(api, fake_client, records, call, method, url, failure):
    api.add(method, V1 + url, **failure)
    with pytest.raises(UnavailableError):
        call(fake_client)
    assert len(api.calls) == 1
    assert len(records) == 1


def test_timeout_of_a_write_is_a_platform_timeout(api, fake_client):
    api.add("POST", V1 + "/subscribers", body=requests.exceptions.ReadTimeout("slow"))
    with pytest.raises(PlatformTimeoutError):
        fake_client.create_subscriber("ana@example.com", "BASIC")


def test_redact_masks_secrets_and_auth_headers():
    text = "token={} pw={} Authorization: Basic {}".format(*SECRETS)
    masked = redact(text, (TOKEN, PASSWORD))
    assert_no_secret(masked)
    assert masked.count("***") == 3
    assert redact(None, SECRETS) is None
    assert redact("X-Access-Token: abc123", ()) == "X-Access-Token: ***"
    assert redact("nothing here", ("", None)) == "nothing here"
    assert redact("Package Basic Family", ()) == "Package Basic Family"


def test_repr_shows_url_and_login_only(fake_client):
    text = repr(fake_client)
    assert BASE_URL in text and LOGIN in text
    assert_no_secret(text)
    assert_no_secret(str(vars(fake_client)))  # attribute dump without the transport's


def test_platform_echoing_secrets_is_redacted_everywhere(api, fake_client, records, caplog):
    caplog.set_level(logging.DEBUG)
    echo = "bad token {} / {} / Basic {}".format(*SECRETS)
    api.add("GET", V1 + "/ping", status=401,
            json={"error": {"code": "unauthorized", "message": echo,
                            "details": {"token": TOKEN}}})
    with pytest.raises(AuthenticationError) as info:
        fake_client.check_connection()
    assert_no_secret(str(info.value))
    assert_no_secret(repr(info.value.details))
    assert_no_secret(info.value.message)
    assert_no_secret(records[0].response_body)
    assert_no_secret(caplog.text)


def test_no_secret_in_logs_records_or_errors_for_any_failure(api, fake_client, records,
                                                             caplog):
    caplog.set_level(logging.DEBUG)
    errors = []
    api.add("GET", V1 + "/packages", body=requests.exceptions.ConnectionError(
        "failed with headers {'X-Access-Token': '%s', 'Authorization': 'Basic %s'}"
        % (TOKEN, SECRETS[2])))
    api.add("GET", V1 + "/packages", body=requests.exceptions.ReadTimeout(
        "password %s" % PASSWORD))
    api.add("GET", V1 + "/packages", status=503, body="down " + TOKEN)
    api.add("POST", V1 + "/subscribers", status=200, body="not json " + PASSWORD)
    for call in (lambda: fake_client.list_packages(),
                 lambda: fake_client.create_subscriber("ana@example.com", "BASIC")):
        with pytest.raises(OleTVError) as info:
            call()
        errors.append(str(info.value))
    assert len(records) == 4
    for text in errors + [caplog.text] + [repr(r) for r in records]:
        assert_no_secret(text)
    assert "Olé TV" in caplog.text  # the calls were logged at all
