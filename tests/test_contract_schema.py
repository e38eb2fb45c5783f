"""Raw HTTP answers of the sandbox conform to docs/oletv-api.yaml."""
import pytest
import requests

from openapi_check import assert_conforms, document, validate

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


def conform(response, path, method, status):
    assert response.status_code == status, response.text
    assert_conforms(response, path, method)
    return response.json() if response.content else None


def test_document_is_openapi_3_with_configurable_servers():
    doc = document()
    assert doc["openapi"].startswith("3.0")
    assert doc["servers"][0]["url"] == "{baseUrl}"
    operations = {op["operationId"] for item in doc["paths"].values()
                  for op in item.values() if isinstance(op, dict) and "operationId" in op}
    assert {"check_connection", "list_packages", "list_equipment_models",
            "create_subscriber", "get_subscriber", "list_subscribers", "block_subscriber",
            "release_subscriber", "change_packages", "delete_subscriber"} <= operations


def test_validator_detects_drift():
    schema = {"$ref": "#/components/schemas/Subscriber"}
    assert validate({"account_number": "OLE-1"}, schema)  # missing fields, bad pattern
    assert validate({"error": {"code": "teapot", "message": "x"}},
                    {"$ref": "#/components/schemas/Error"})


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
                  SUBSCRIBERS, "POST", 422)
    assert bad["error"]["details"] == {"login": "must be a valid e-mail address"}
    missing = conform(http("POST", SUBSCRIBERS, json={"technology": "iptv"}),
                      SUBSCRIBERS, "POST", 422)
    assert set(missing["error"]["details"]) == {"login", "main_package"}
    unknown = conform(http("POST", SUBSCRIBERS, json=dict(NEW, colour="red")),
                      SUBSCRIBERS, "POST", 422)
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


@pytest.mark.parametrize("raw", [b"{not json", b'{"login": ', b"\xff\xfe"])
def test_malformed_json_is_422_malformed_json(http, raw):
    response = http("POST", SUBSCRIBERS, data=raw,
                    headers={"Content-Type": "application/json"})
    body = conform(response, SUBSCRIBERS, "POST", 422)
    assert body["error"]["code"] == "malformed_json"


def test_json_that_is_not_an_object_is_a_validation_error(http):
    body = conform(http("POST", SUBSCRIBERS, json=["login"]), SUBSCRIBERS, "POST", 422)
    assert body["error"]["details"] == {"body": "must be a JSON object"}


def test_auth_and_ip_errors_conform(http, sandbox):
    for headers, auth in (({"X-Access-Token": "nope"}, None),
                          ({}, ("sandbox", "wrong"))):
        response = requests.get(sandbox.url + "/v1/ping", headers=headers, auth=auth)
        assert conform(response, "/v1/ping", "GET", 401)["error"]["code"] == "unauthorized"
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
    sandbox.seed_subscriber(login="old@example.com", main_package="BASIC", status="blocked")
    state = sandbox.state()
    assert not validate(state, {"$ref": "#/components/schemas/AdminState"})
    assert not validate(sandbox.faults(), {"$ref": "#/components/schemas/FaultState"})
    assert not validate(sandbox.stats(), {"$ref": "#/components/schemas/Stats"})
    assert state["subscribers"][0]["deleted"] is False
