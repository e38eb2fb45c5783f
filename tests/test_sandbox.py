"""The sandbox's own rules: admin surface, faults, persistence, concurrency."""
import threading

import pytest
import requests

from oletv_client import (NotFoundError, OleTVClient, PlatformTimeoutError, RateLimitedError,
                          UnavailableError, STATUS_ACTIVE, STATUS_BLOCKED)
from oletv_sandbox.rules import normalize_mac
from oletv_sandbox.testing import SandboxError, SandboxServer


def client_for(sandbox, **kwargs):
    kwargs.setdefault("backoff", 0)
    return OleTVClient(sandbox.url, sandbox.token, sandbox.login, sandbox.password,
                       **kwargs)


@pytest.mark.parametrize("method, path", [
    ("GET", "/_admin/state"), ("POST", "/_admin/reset"), ("GET", "/_admin/stats"),
    ("PUT", "/_admin/faults"), ("PUT", "/_admin/ip-allowlist"),
    ("POST", "/_admin/subscribers/OLE-000001/first-access"),
])
@pytest.mark.parametrize("headers", [{}, {"X-Admin-Key": "guess"}])
def test_admin_key_is_required(sandbox, method, path, headers):
    response = requests.request(method, sandbox.url + path, headers=headers, json={})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


def test_v1_credentials_do_not_open_the_admin_surface(sandbox):
    response = requests.get(sandbox.url + "/_admin/state", auth=(sandbox.login,
                            sandbox.password), headers={"X-Access-Token": sandbox.token})
    assert response.status_code == 401


def test_unknown_route_and_wrong_method_answer_json(sandbox):
    assert requests.get(sandbox.url + "/v2/nothing").json()["error"]["code"] == "not_found"
    response = requests.patch(sandbox.url + "/v1/packages")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD"}


@pytest.mark.parametrize("query", ["login=ana@example.com&page=2", "accounts=OLE-1&=x"])
def test_unknown_query_parameters_are_refused(sandbox, query):
    response = requests.get(sandbox.url + "/v1/subscribers?" + query,
                            auth=(sandbox.login, sandbox.password),
                            headers={"X-Access-Token": sandbox.token})
    assert response.status_code == 422
    assert "unknown parameter" in response.json()["error"]["details"]["query"]


@pytest.mark.parametrize("raw, expected", [
    ("aa-bb-cc-dd-ee-ff", "AA:BB:CC:DD:EE:FF"), ("01:23:45:67:89:ab", "01:23:45:67:89:AB"),
    ("0123456789ab", None), ("AA:BB:CC:DD:EE:GG", None), (None, None),
])
def test_mac_normalization(raw, expected):
    assert normalize_mac(raw) == expected


@pytest.mark.openapi_invalid_requests  # status "zombie", refused by the document too
def test_seeded_active_subscriber_can_be_blocked_at_once(sandbox):
    seeded = sandbox.seed_subscriber(login="legacy@example.com", main_package="FAMILY",
                                     status="active", external_ref="erp-1")
    assert seeded["status"] == STATUS_ACTIVE and seeded["first_access_at"]
    assert client_for(sandbox).block_subscriber(seeded["account_number"]).status == \
        STATUS_BLOCKED
    with pytest.raises(SandboxError):
        sandbox.seed_subscriber(login="legacy@example.com", main_package="BASIC")
    with pytest.raises(SandboxError):
        sandbox.seed_subscriber(login="x@example.com", main_package="BASIC", status="zombie")


def test_first_access_is_idempotent_and_404_when_unknown(sandbox):
    acc = sandbox.seed_subscriber(login="a@example.com", main_package="BASIC")[
        "account_number"]
    first = sandbox.first_access(acc)
    assert first["status"] == STATUS_ACTIVE
    assert sandbox.first_access(acc)["first_access_at"] == first["first_access_at"]
    with pytest.raises(SandboxError):
        sandbox.first_access("OLE-999999")


def test_panel_deletion_is_seen_by_the_client(sandbox):
    acc = sandbox.seed_subscriber(login="a@example.com", main_package="BASIC")[
        "account_number"]
    sandbox.delete_from_panel(acc)
    with pytest.raises(NotFoundError):
        client_for(sandbox).get_subscriber(acc)
    assert [s["deleted"] for s in sandbox.state()["subscribers"]] == [True]
    with pytest.raises(SandboxError):
        sandbox.delete_from_panel(acc)


def test_reset_wipes_everything_and_restarts_numbering(sandbox):
    sandbox.seed_subscriber(login="a@example.com", main_package="BASIC")
    sandbox.set_faults(latency_ms=5)
    sandbox.set_ip_allowlist(True, ["127.0.0.1"])
    client_for(sandbox).list_packages()
    sandbox.reset()
    state = sandbox.state()
    assert state["subscribers"] == []
    assert state["faults"]["latency_ms"] == 0 and state["ip_allowlist"]["enabled"] is False
    assert state["stats"]["total_requests"] == 0
    again = sandbox.seed_subscriber(login="a@example.com", main_package="BASIC")
    assert again["account_number"] == "OLE-000001"
    assert len(client_for(sandbox).list_packages()) == 7


def test_state_survives_a_restart():
    with SandboxServer() as server:
        client = client_for(server)
        acc = client.create_subscriber("keep@example.com", "BASIC").account_number
        server.first_access(acc)
        client.block_subscriber(acc)
        server.set_faults(latency_ms=1, rate_limit_burst=3)
        server.set_ip_allowlist(True, ["127.0.0.1", "10.0.0.1"])
        before = server.state()
        server.restart()
        after = server.state()
        assert after == before
        assert after["faults"]["rate_limit_remaining"] == 3
        server.set_faults()
        assert client.get_subscriber(acc).status == STATUS_BLOCKED
        assert client.create_subscriber("next@example.com", "BASIC").account_number == \
            "OLE-000002"


def test_down_answers_503_but_admin_keeps_working(sandbox):
    sandbox.set_faults(down=True)
    client = client_for(sandbox, read_retries=1)
    with pytest.raises(UnavailableError) as info:
        client.check_connection()
    assert info.value.status_code == 503
    with pytest.raises(UnavailableError):
        client.create_subscriber("a@example.com", "BASIC")
    stats = sandbox.stats()
    assert stats["faults"]["down"] == 3  # two GET attempts + one POST
    assert sandbox.state()["subscribers"] == []


def test_rate_limit_burst_then_recovery(sandbox):
    sandbox.set_faults(rate_limit_burst=2, retry_after=4)
    client = client_for(sandbox)
    for _ in range(2):
        with pytest.raises(RateLimitedError) as info:
            client.list_packages()
        assert info.value.retry_after == 4.0
    assert client.list_packages()
    assert sandbox.stats()["faults"]["rate_limited"] == 2
    assert sandbox.faults()["rate_limit_remaining"] == 0


def test_error_rate_one_fails_every_request(sandbox):
    sandbox.set_faults(error_rate=1.0, seed=7)
    with pytest.raises(UnavailableError):
        client_for(sandbox, read_retries=2).list_equipment_models()
    assert sandbox.stats()["faults"]["errors"] == 3  # the GET was retried twice


def test_error_rate_half_fails_some_requests(sandbox):
    sandbox.set_faults(error_rate=0.5, seed=42)
    client = client_for(sandbox, read_retries=0)
    outcomes = []
    for _ in range(40):
        try:
            client.check_connection()
            outcomes.append("ok")
        except UnavailableError:
            outcomes.append("503")
    assert set(outcomes) == {"ok", "503"}
    assert sandbox.stats()["faults"]["errors"] == outcomes.count("503")


def test_write_timeout_applies_the_write_then_loses_the_answer(sandbox):
    sandbox.set_faults(write_timeout_rate=1.0, timeout_seconds=2)
    client = OleTVClient(sandbox.url, sandbox.token, sandbox.login, sandbox.password,
                         timeout=(3.05, 0.5), backoff=0)
    assert client.find_subscriber_by_login("w@example.com") is None  # reads answer at once
    with pytest.raises(PlatformTimeoutError):
        client.create_subscriber("w@example.com", "BASIC", external_ref="erp-9")
    created = client.find_subscriber_by_login("w@example.com")
    assert created is not None and created.external_ref == "erp-9", "the write went through"
    stats = sandbox.stats()
    assert stats["faults"]["write_timeouts"] == 1 and stats["creates"] == 1


def test_latency_is_added_to_v1_calls(sandbox, records):
    sandbox.set_faults(latency_ms=150)
    client = client_for(sandbox, call_observer=records.observe)
    client.check_connection()
    assert sandbox.faults()["latency_ms"] == 150
    assert records[0].duration_ms >= 150  # lower bound only: sleep cannot be shorter


@pytest.mark.parametrize("body", [
    {"error_rate": 2}, {"latency_ms": -1}, {"down": "yes"}, {"colour": 1},
    {"seed": 1.5}, {"timeout_seconds": "x"}, {"write_timeout_rate": -0.1},
])
@pytest.mark.openapi_invalid_requests  # every body breaks FaultConfig as documented
def test_invalid_fault_settings_are_refused(sandbox, body):
    with pytest.raises(SandboxError) as info:
        sandbox.set_faults(**body)
    assert "422" in str(info.value)


def test_stats_count_operations(sandbox):
    client = client_for(sandbox)
    acc = client.create_subscriber("a@example.com", "BASIC").account_number
    client.get_subscriber(acc)
    client.get_subscriber(acc)
    client.find_subscriber_by_login("a@example.com")
    client.get_subscribers([acc])
    stats = sandbox.stats()
    assert stats["requests"] == {"create_subscriber": 1, "get_subscriber": 2,
                                 "find_subscriber_by_login": 1, "get_subscribers": 1}
    assert stats["total_requests"] == 5 and stats["creates"] == 1


def test_concurrent_creates_get_unique_accounts(sandbox):
    accounts, errors = [], []

    def worker(index):
        with client_for(sandbox) as client:
            for n in range(20):
                try:
                    accounts.append(client.create_subscriber(
                        "w{}-{}@example.com".format(index, n), "BASIC").account_number)
                except Exception as exc:  # collected and asserted below
                    errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(accounts)) == 160
    assert sandbox.stats()["creates"] == 160


def test_the_batch_read_writes_each_subscriber_as_the_single_read_does(sandbox):
    """The batch read's subscribers are written by SQLite (json_object), the
    single read's by Python: the same JSON, non-ASCII, lists and nulls too."""
    seeded = [
        sandbox.seed_subscriber(login="joão.ção@exemplo.com.br", main_package="FAMILY",
                                status="active", external_ref="erp-ç"),
        sandbox.seed_subscriber(login="ana@example.com", main_package="BASIC",
                                additional_packages=["HBO", "EXTRA_POINT"],
                                mac_devices=["AA:BB:CC:DD:EE:01", "AA:BB:CC:DD:EE:02"],
                                equipment="STB-4K"),
    ]
    accounts = [subscriber["account_number"] for subscriber in seeded]
    url = sandbox.url + "/v1/subscribers"
    auth = {"headers": {"X-Access-Token": sandbox.token},
            "auth": (sandbox.login, sandbox.password), "timeout": 5}
    batch = requests.get(url, params={"accounts": ",".join(accounts + ["OLE-999999"])},
                         **auth).json()
    single = [requests.get(url + "/" + account, **auth).json() for account in accounts]
    assert batch == {"subscribers": single, "missing": ["OLE-999999"]}
    assert batch["subscribers"][0]["login"] == "joão.ção@exemplo.com.br"
    assert batch["subscribers"][1]["additional_packages"] == ["HBO", "EXTRA_POINT"]
