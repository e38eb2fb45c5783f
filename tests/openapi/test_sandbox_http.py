"""Raw HTTP exchanges with the sandbox conform to docs/oletv-api.yaml,
checked by openapi-core (CPython 3.12 venv): the request as sent and the
answer (status documented for the operation, body and headers as documented)."""
import pytest
import requests

from openapi_contract import document, request_problems, response_problems

SUBSCRIBERS = "/v1/subscribers"
ONE = "/v1/subscribers/{account_number}"
NEW = {"login": "ana@example.com", "main_package": "BASIC",
       "additional_packages": ["EXTRA_POINT"], "mac_devices": ["aa:bb:cc:dd:ee:ff"],
       "equipment": "STB-4K", "technology": "iptv"}


@pytest.fixture
def http(sandbox):
    session = requests.Session()
    session.auth = (sandbox.login, sandbox.password)
    session.headers["X-Access-Token"] = sandbox.token

    def call(method, path, **kwargs):
        return session.request(method, sandbox.url + path, timeout=10, **kwargs)

    yield call
    session.close()


def conform(response, path, method, status, valid_request=True):
    """Assert the answer's status, that the exchange is the documented
    operation, and that the request (unless sent invalid on purpose) and the
    answer conform; return the decoded body."""
    assert response.status_code == status, response.text
    assert response.request.method == method
    assert path in document()["paths"], path
    problems = request_problems(response.request)
    if valid_request:
        assert not problems, problems
    else:
        assert problems, "the document accepts this request, which the sandbox refused"
    problems = response_problems(response)
    assert not problems, problems
    if status == 204:
        assert response.content == b""
        return None
    return response.json()


def test_success_answers_conform(http, sandbox):
    conform(http("GET", "/v1/ping"), "/v1/ping", "GET", 200)
    conform(http("GET", "/v1/packages"), "/v1/packages", "GET", 200)
    conform(http("GET", "/v1/equipment-models"), "/v1/equipment-models", "GET", 200)
    acc = conform(http("POST", SUBSCRIBERS, json=NEW), SUBSCRIBERS, "POST", 201)[
        "account_number"]
    conform(http("GET", "/v1/subscribers/" + acc), ONE, "GET", 200)
    conform(http("GET", SUBSCRIBERS, params={"login": NEW["login"]}), SUBSCRIBERS, "GET", 200)
    batch = conform(http("GET", SUBSCRIBERS, params={"accounts": acc + ",OLE-000404"}),
                    SUBSCRIBERS, "GET", 200)
    assert batch["missing"] == ["OLE-000404"]
    sandbox.first_access(acc)
    conform(http("POST", "/v1/subscribers/{}/block".format(acc)),
            ONE + "/block", "POST", 200)
    conform(http("POST", "/v1/subscribers/{}/release".format(acc)),
            ONE + "/release", "POST", 200)
    conform(http("PUT", "/v1/subscribers/{}/packages".format(acc),
                 json={"main_package": "FAMILY", "additional_packages": ["EXTRA_POINT"]}),
            ONE + "/packages", "PUT", 200)
    conform(http("DELETE", "/v1/subscribers/" + acc), ONE, "DELETE", 204)


def test_error_answers_conform(http, sandbox):
    bad = conform(http("POST", SUBSCRIBERS, json=dict(NEW, login="x")),
                  SUBSCRIBERS, "POST", 422, valid_request=False)
    assert bad["error"]["details"] == {"login": "must be a valid e-mail address"}
    missing = conform(http("POST", SUBSCRIBERS, json={"technology": "iptv"}),
                      SUBSCRIBERS, "POST", 422, valid_request=False)
    assert set(missing["error"]["details"]) == {"login", "main_package"}
    unknown = conform(http("POST", SUBSCRIBERS, json=dict(NEW, colour="red")),
                      SUBSCRIBERS, "POST", 422, valid_request=False)
    assert unknown["error"]["details"] == {"colour": "unknown field"}
    acc = conform(http("POST", SUBSCRIBERS, json=NEW), SUBSCRIBERS, "POST", 201)[
        "account_number"]
    taken = conform(http("POST", SUBSCRIBERS, json=NEW), SUBSCRIBERS, "POST", 409)
    assert taken["error"]["code"] == "login_taken"
    waiting = conform(http("POST", "/v1/subscribers/{}/block".format(acc)),
                      ONE + "/block", "POST", 409)
    assert waiting["error"]["code"] == "awaiting_activation"
    gone = conform(http("GET", "/v1/subscribers/OLE-000777"), ONE, "GET", 404)
    assert gone["error"]["code"] == "not_found"
    too_many = ",".join("OLE-{:06d}".format(i) for i in range(201))
    conform(http("GET", SUBSCRIBERS, params={"accounts": too_many}), SUBSCRIBERS, "GET", 422)
    conform(http("GET", SUBSCRIBERS), SUBSCRIBERS, "GET", 422)
    conform(http("GET", SUBSCRIBERS, params={"limit": 501}), SUBSCRIBERS, "GET", 422,
            valid_request=False)
    conform(http("GET", "/v1/billing/statement", params={"month": "2026-11", "rule": "x"}),
            "/v1/billing/statement", "GET", 422, valid_request=False)


def test_listing_and_statement_conform(http, sandbox):
    sandbox.set_clock("2026-11-01")
    for login in ("ana@example.com", "bia@example.com"):
        sandbox.seed_subscriber(login=login, main_package="BASIC", status="active")
    first = conform(http("GET", SUBSCRIBERS, params={"limit": 1}), SUBSCRIBERS, "GET", 200)
    assert first["next"] == "OLE-000001"
    last = conform(http("GET", SUBSCRIBERS, params={"after": first["next"], "limit": 500}),
                   SUBSCRIBERS, "GET", 200)
    assert [s["account_number"] for s in last["subscribers"]] == ["OLE-000002"]
    assert last["next"] is None
    for rule in ("per_day", "any_day"):
        statement = conform(http("GET", "/v1/billing/statement",
                                 params={"month": "2026-11", "rule": rule}),
                            "/v1/billing/statement", "GET", 200)
        assert statement["packages"] == [{"code": "BASIC", "subscriber_days": 60,
                                          "subscribers": 2, "quantity": 2.0}]


@pytest.mark.parametrize("raw", [b"{not json", b'{"login": ', b"\xff\xfe"])
def test_malformed_json_is_422_malformed_json(http, raw):
    response = http("POST", SUBSCRIBERS, data=raw,
                    headers={"Content-Type": "application/json"})
    body = conform(response, SUBSCRIBERS, "POST", 422, valid_request=False)
    assert body["error"]["code"] == "malformed_json"


def test_json_that_is_not_an_object_is_a_validation_error(http):
    body = conform(http("POST", SUBSCRIBERS, json=["login"]), SUBSCRIBERS, "POST", 422,
                   valid_request=False)
    assert body["error"]["details"] == {"body": "must be a JSON object"}


def test_auth_and_ip_errors_conform(http, sandbox):
    # valid_request: both credentials sent (wrong); otherwise one is missing,
    # which the document's security requirement forbids too.
    for headers, auth, valid_request in (({"X-Access-Token": "nope"}, None, False),
                                         ({}, ("sandbox", "wrong"), False),
                                         ({"X-Access-Token": "nope"}, ("sandbox", "wrong"), True)):
        response = requests.get(sandbox.url + "/v1/ping", headers=headers, auth=auth)
        assert conform(response, "/v1/ping", "GET", 401, valid_request=valid_request)[
            "error"]["code"] == "unauthorized"
    sandbox.set_ip_allowlist(True, ["198.51.100.1"])
    body = conform(http("GET", "/v1/ping"), "/v1/ping", "GET", 403)
    assert body["error"]["code"] == "ip_not_allowed"
    assert body["error"]["client_ip"] == "127.0.0.1"


def test_fault_answers_conform(http, sandbox):
    sandbox.set_faults(rate_limit_burst=1, retry_after=2)
    response = http("GET", "/v1/packages")
    assert conform(response, "/v1/packages", "GET", 429)["error"]["code"] == "rate_limited"
    assert response.headers["Retry-After"] == "2"
    sandbox.set_faults(down=True)
    assert conform(http("GET", "/v1/packages"), "/v1/packages", "GET", 503)[
        "error"]["code"] == "unavailable"


def test_admin_answers_conform(sandbox):
    admin = requests.Session()
    admin.headers["X-Admin-Key"] = sandbox.admin_key

    def call(method, path, **kwargs):
        return admin.request(method, sandbox.url + path, timeout=10, **kwargs)

    seeded = conform(call("POST", "/_admin/subscribers",
                          json={"login": "old@example.com", "main_package": "BASIC",
                                "technology": "iptv", "status": "blocked"}),
                     "/_admin/subscribers", "POST", 201)
    state = conform(call("GET", "/_admin/state"), "/_admin/state", "GET", 200)
    assert state["subscribers"][0]["deleted"] is False
    assert state["subscribers"][0]["account_number"] == seeded["account_number"]
    conform(call("PUT", "/_admin/faults", json={"latency_ms": 1}), "/_admin/faults", "PUT", 200)
    conform(call("GET", "/_admin/faults"), "/_admin/faults", "GET", 200)
    conform(call("PUT", "/_admin/ip-allowlist", json={"enabled": False, "allowed": []}),
            "/_admin/ip-allowlist", "PUT", 200)
    conform(call("GET", "/_admin/ip-allowlist"), "/_admin/ip-allowlist", "GET", 200)
    conform(call("POST", "/_admin/subscribers/{}/first-access".format(seeded["account_number"])),
            "/_admin/subscribers/{account_number}/first-access", "POST", 200)
    conform(call("GET", "/_admin/stats"), "/_admin/stats", "GET", 200)
    conform(call("PUT", "/_admin/clock", json={"date": "2026-11-01"}), "/_admin/clock", "PUT", 200)
    assert conform(call("GET", "/_admin/clock"), "/_admin/clock", "GET", 200) == {
        "date": "2026-11-01", "set": True}
    conform(call("PUT", "/_admin/clock", json={"date": None}), "/_admin/clock", "PUT", 200)
    conform(call("DELETE", "/_admin/subscribers/" + seeded["account_number"]),
            "/_admin/subscribers/{account_number}", "DELETE", 204)
    conform(call("POST", "/_admin/reset"), "/_admin/reset", "POST", 200)
    admin.close()
