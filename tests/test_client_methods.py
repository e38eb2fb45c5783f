"""OleTVClient methods against a mocked platform (``responses``)."""
import base64

import pytest
import requests
from responses import matchers

from conftest import BASE_URL, LOGIN, PASSWORD, TOKEN
from oletv_client import (BatchResult, ConnectionInfo, EquipmentModel, OleTVClient,
                          Package, Subscriber)
from oletv_client.redact import redact_head

V1 = BASE_URL + "/v1"


def subscriber_json(account="OLE-000001", status="awaiting_activation", **extra):
    data = {"account_number": account, "login": "ana@example.com", "status": status,
            "main_package": "BASIC", "additional_packages": ["HBO", "HBO"],
            "mac_devices": ["AA:BB:CC:DD:EE:FF"], "equipment": None,
            "technology": "iptv", "external_ref": "line-7",
            "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z",
            "first_access_at": None}
    data.update(extra)
    return data


def test_check_connection_sends_token_and_basic_auth(api, fake_client):
    expected_basic = "Basic " + base64.b64encode(
        "{}:{}".format(LOGIN, PASSWORD).encode()).decode()
    api.add("GET", V1 + "/ping", json={"status": "ok", "client_ip": "10.1.2.3",
                                       "environment": "production"},
            match=[matchers.header_matcher({"X-Access-Token": TOKEN,
                                            "Authorization": expected_basic})])
    info = fake_client.check_connection()
    assert info == ConnectionInfo(client_ip="10.1.2.3", environment="production")


def test_every_request_has_connect_and_read_timeouts(api):
    api.add("GET", V1 + "/ping", json={"status": "ok"},
            match=[matchers.request_kwargs_matcher({"timeout": (1.5, 7)})])
    with OleTVClient(BASE_URL, TOKEN, LOGIN, PASSWORD, timeout=(1.5, 7)) as client:
        client.check_connection()


def test_list_packages(api, fake_client):
    api.add("GET", V1 + "/packages", json={"packages": [
        {"code": "BASIC", "name": "Olé Básico", "kind": "main", "extra_point": False},
        {"code": "EXTRA_POINT", "name": "Ponto adicional", "kind": "additional",
         "extra_point": True}]})
    basic, extra = fake_client.list_packages()
    assert basic == Package("BASIC", "Olé Básico", "main", False)
    assert basic.is_main and not extra.is_main and extra.extra_point


def test_list_equipment_models(api, fake_client):
    api.add("GET", V1 + "/equipment-models",
            json={"equipment_models": [{"code": "STB-4K", "name": "Box 4K"}]})
    assert fake_client.list_equipment_models() == [EquipmentModel("STB-4K", "Box 4K")]


def test_create_subscriber_sends_the_documented_body(api, fake_client):
    body = {"login": "ana@example.com", "main_package": "BASIC",
            "additional_packages": ["HBO", "HBO"], "mac_devices": ["aa-bb-cc-dd-ee-ff"],
            "equipment": None, "technology": "ott", "external_ref": "line-7"}
    api.add("POST", V1 + "/subscribers", status=201, json=subscriber_json(),
            match=[matchers.json_params_matcher(body)])
    created = fake_client.create_subscriber(
        "ana@example.com", "BASIC", additional_packages=["HBO", "HBO"],
        mac_devices=["aa-bb-cc-dd-ee-ff"], technology="ott", external_ref="line-7")
    assert isinstance(created, Subscriber)
    assert created.account_number == "OLE-000001"
    assert created.additional_packages == ("HBO", "HBO")
    assert created.mac_devices == ("AA:BB:CC:DD:EE:FF",)
    assert created.is_awaiting_activation and not created.is_active


def test_get_subscriber_quotes_the_account_number(api, fake_client):
    api.add("GET", V1 + "/subscribers/OLE%2F1", json=subscriber_json("OLE/1"))
    assert fake_client.get_subscriber("OLE/1").account_number == "OLE/1"


def test_get_subscriber_refuses_an_empty_account_number(fake_client):
    with pytest.raises(ValueError):
        fake_client.get_subscriber("  ")


def test_find_subscriber_by_login(api, fake_client):
    api.add("GET", V1 + "/subscribers", json={"subscribers": [subscriber_json()]},
            match=[matchers.query_param_matcher({"login": "ana@example.com"})])
    api.add("GET", V1 + "/subscribers", json={"subscribers": []},
            match=[matchers.query_param_matcher({"login": "nobody@example.com"})])
    assert fake_client.find_subscriber_by_login("ana@example.com").login == "ana@example.com"
    assert fake_client.find_subscriber_by_login("nobody@example.com") is None


def test_get_subscribers_chunks_by_200_and_merges(api, fake_client):
    accounts = ["OLE-{:06d}".format(i) for i in range(1, 451)]
    for start in (0, 200, 400):
        chunk = accounts[start:start + 200]
        api.add("GET", V1 + "/subscribers",
                json={"subscribers": [subscriber_json(a) for a in chunk[1:]],
                      "missing": [chunk[0]]},
                match=[matchers.query_param_matcher({"accounts": ",".join(chunk)})])
    result = fake_client.get_subscribers(accounts + accounts[:5])  # duplicates ignored
    assert isinstance(result, BatchResult)
    assert len(result.subscribers) == 447
    assert result.missing == ("OLE-000001", "OLE-000201", "OLE-000401")


def test_list_subscribers_page_sends_the_cursor_and_returns_the_next(api, fake_client):
    api.add("GET", V1 + "/subscribers",
            json={"subscribers": [subscriber_json("OLE-000001")], "next": "OLE-000001"},
            match=[matchers.query_param_matcher({"limit": "1"})])
    api.add("GET", V1 + "/subscribers", json={"subscribers": [], "next": None},
            match=[matchers.query_param_matcher({"limit": "1", "after": "OLE-000001"})])
    page, following = fake_client.list_subscribers_page(limit=1)
    assert [s.account_number for s in page] == ["OLE-000001"]
    assert following == "OLE-000001"
    assert fake_client.list_subscribers_page(following, limit=1) == ((), None)


def test_billing_statement_by_package(api, fake_client):
    api.add("GET", V1 + "/billing/statement",
            json={"month": "2026-11", "rule": "per_day", "days": 30,
                  "billable_statuses": ["active"],
                  "packages": [{"code": "BASIC", "subscriber_days": 45, "subscribers": 2,
                                "quantity": 1.5}]},
            match=[matchers.query_param_matcher({"month": "2026-11", "rule": "per_day"})])
    assert fake_client.billing_statement("2026-11", "per_day") == {
        "BASIC": {"subscriber_days": 45, "subscribers": 2, "quantity": 1.5}}


def test_get_subscribers_without_accounts_makes_no_call(fake_client, records):
    assert fake_client.get_subscribers([]) == BatchResult((), ())
    assert records == []


@pytest.mark.parametrize("method_name, http_method, suffix, status", [
    ("block_subscriber", "POST", "/block", "blocked"),
    ("release_subscriber", "POST", "/release", "active"),
])
def test_block_and_release(api, fake_client, method_name, http_method, suffix, status):
    api.add(http_method, V1 + "/subscribers/OLE-000001" + suffix,
            json=subscriber_json(status=status, first_access_at="2024-01-02T00:00:00Z"))
    result = getattr(fake_client, method_name)("OLE-000001")
    assert result.status == status
    assert result.is_blocked == (status == "blocked")
    assert result.first_access_at == "2024-01-02T00:00:00Z"


def test_change_packages(api, fake_client):
    api.add("PUT", V1 + "/subscribers/OLE-000001/packages",
            json=subscriber_json(main_package="PREMIUM", additional_packages=["SPORTS"]),
            match=[matchers.json_params_matcher({"main_package": "PREMIUM",
                                                 "additional_packages": ["SPORTS"]})])
    result = fake_client.change_packages("OLE-000001", "PREMIUM", ["SPORTS"])
    assert result.main_package == "PREMIUM"
    assert result.additional_packages == ("SPORTS",)


def test_delete_subscriber(api, fake_client):
    api.add("DELETE", V1 + "/subscribers/OLE-000001", status=204)
    assert fake_client.delete_subscriber("OLE-000001") is None


def test_base_url_with_v1_suffix_is_normalized(api):
    api.add("GET", V1 + "/ping", json={"status": "ok", "client_ip": "1.1.1.1",
                                       "environment": "homologation"})
    client = OleTVClient(BASE_URL + "/v1/", TOKEN, LOGIN, PASSWORD)
    assert client.base_url == BASE_URL
    assert client.check_connection().environment == "homologation"


def test_call_records_describe_each_call(api, fake_client, records):
    api.add("POST", V1 + "/subscribers", status=201, json=subscriber_json())
    fake_client.create_subscriber("ana@example.com", "BASIC")
    (record,) = records
    assert (record.operation, record.method, record.endpoint, record.status_code) == (
        "create_subscriber", "POST", "/v1/subscribers", 201)
    assert '"login": "ana@example.com"' in record.request_body
    assert "OLE-000001" in record.response_body
    assert record.error is None and record.attempt == 1 and record.duration_ms >= 0


def test_call_record_endpoint_keeps_query_but_not_host(api, fake_client, records):
    api.add("GET", V1 + "/subscribers", json={"subscribers": []})
    fake_client.find_subscriber_by_login("ana@example.com")
    assert records[0].endpoint == "/v1/subscribers?login=ana%40example.com"


def test_failing_observer_does_not_break_the_call(api):
    def broken_observer(record):
        raise RuntimeError("audit storage down")

    api.add("GET", V1 + "/ping", json={"status": "ok"})
    client = OleTVClient(BASE_URL, TOKEN, LOGIN, PASSWORD, call_observer=broken_observer)
    assert client.check_connection().client_ip is None


def test_response_body_in_record_is_truncated(api, fake_client, records):
    huge = [{"code": "P{}".format(i), "name": "x" * 100, "kind": "additional",
             "extra_point": False} for i in range(200)]
    api.add("GET", V1 + "/packages", json={"packages": huge})
    assert len(fake_client.list_packages()) == 200
    assert len(records[0].response_body) < 4200
    assert "truncated" in records[0].response_body


class CountingSession(requests.Session):
    closed = 0

    def close(self):
        self.closed += 1
        super().close()


def test_context_manager_closes_its_own_session():
    with OleTVClient(BASE_URL, TOKEN, LOGIN, PASSWORD) as client:
        own = client._transport.session = CountingSession()
        client._transport._owns_session = True
    assert own.closed == 1


def test_close_leaves_a_callers_session_open():
    shared = CountingSession()
    with OleTVClient(BASE_URL, TOKEN, LOGIN, PASSWORD, session=shared) as client:
        assert client._transport.session is shared
    assert shared.closed == 0


def test_a_recorded_body_is_cut_without_leaving_part_of_a_secret():
    """Masking shortens the head: a secret the scanned slice cut in two
    must not slide into what is kept."""
    secret = "S" * 40
    text = (secret + ",") * 150 + "x" * 10000
    kept = redact_head(text, [secret], limit=4096)
    assert "S" not in kept and "truncated" in kept
    assert kept.endswith("...[truncated {} chars]".format(len(text) - kept.index("...[")))
    assert redact_head("short " + secret, [secret]) == "short ***"


def test_a_list_query_keeps_its_commas(api, fake_client, records):
    api.add("GET", V1 + "/subscribers", json={"subscribers": [], "missing": ["A 1", "B"]})
    fake_client.get_subscribers(["A 1", "B"])
    assert api.calls[0].request.url.endswith("/v1/subscribers?accounts=A+1,B")
    assert records[0].endpoint == "/v1/subscribers?accounts=A+1,B"
