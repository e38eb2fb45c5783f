"""Contract tests: the real client against the live sandbox."""
import time

import pytest

from oletv_client import (AuthenticationError, AwaitingActivationError, IPNotAllowedError,
                          LoginTakenError, NotFoundError, OleTVClient,
                          PlatformTimeoutError, ValidationError, STATUS_ACTIVE,
                          STATUS_AWAITING_ACTIVATION, STATUS_BLOCKED)


def create(client, login="ana@example.com", **kwargs):
    kwargs.setdefault("main_package", "BASIC")
    return client.create_subscriber(login, **kwargs)


def test_check_connection_reports_ip_and_environment(live_client):
    info = live_client.check_connection()
    assert (info.client_ip, info.environment) == ("127.0.0.1", "homologation")


def test_catalogs_are_seeded(live_client):
    packages = {p.code: p for p in live_client.list_packages()}
    assert {"BASIC", "FAMILY", "PREMIUM"} <= {c for c, p in packages.items() if p.is_main}
    assert {"HBO", "TELECINE", "SPORTS", "EXTRA_POINT"} <= set(packages)
    assert [p.name for p in packages.values() if p.extra_point] == ["Ponto adicional"]
    assert len(live_client.list_equipment_models()) >= 2


def test_full_subscriber_lifecycle(live_client, sandbox):
    created = create(live_client, additional_packages=["HBO", "HBO", "EXTRA_POINT"],
                     mac_devices=["aa-bb-cc-dd-ee-01"], equipment="STB-4K",
                     technology="ott", external_ref="contract-line-42")
    acc = created.account_number
    assert acc.startswith("OLE-") and created.status == STATUS_AWAITING_ACTIVATION
    assert created.mac_devices == ("AA:BB:CC:DD:EE:01",)
    assert created.additional_packages == ("HBO", "HBO", "EXTRA_POINT")
    assert created.first_access_at is None and created.external_ref == "contract-line-42"
    with pytest.raises(AwaitingActivationError):
        live_client.block_subscriber(acc)
    with pytest.raises(AwaitingActivationError):
        live_client.release_subscriber(acc)
    sandbox.first_access(acc)
    activated = live_client.get_subscriber(acc)
    assert activated.status == STATUS_ACTIVE and activated.first_access_at
    assert live_client.block_subscriber(acc).status == STATUS_BLOCKED
    assert live_client.block_subscriber(acc).status == STATUS_BLOCKED  # idempotent
    assert live_client.release_subscriber(acc).status == STATUS_ACTIVE
    assert live_client.release_subscriber(acc).status == STATUS_ACTIVE
    changed = live_client.change_packages(acc, "PREMIUM", ["SPORTS", "EXTRA_POINT"])
    assert (changed.main_package, changed.additional_packages) == (
        "PREMIUM", ("SPORTS", "EXTRA_POINT"))
    assert live_client.get_subscriber(acc) == changed
    live_client.delete_subscriber(acc)
    for call in (live_client.get_subscriber, live_client.delete_subscriber,
                 live_client.block_subscriber):
        with pytest.raises(NotFoundError):
            call(acc)


def test_account_numbers_are_sequential(live_client):
    first = create(live_client, "a1@example.com").account_number
    second = create(live_client, "a2@example.com").account_number
    assert (first, second) == ("OLE-000001", "OLE-000002")


def test_find_by_login_ignores_case_and_deleted(live_client):
    acc = create(live_client, "Ana@Example.com").account_number
    assert live_client.find_subscriber_by_login("ana@example.COM").account_number == acc
    live_client.delete_subscriber(acc)
    assert live_client.find_subscriber_by_login("ana@example.com") is None
    again = create(live_client, "ana@example.com")  # login free again after deletion
    assert again.account_number != acc


def test_duplicate_login_is_refused(live_client, sandbox):
    create(live_client)
    with pytest.raises(LoginTakenError) as info:
        create(live_client, "ANA@example.com")
    assert info.value.status_code == 409
    assert sandbox.stats()["duplicate_logins"] == 1


def test_batch_get_reports_missing(live_client):
    accounts = [create(live_client, "u{}@example.com".format(i)).account_number
                for i in range(3)]
    live_client.delete_subscriber(accounts[1])
    result = live_client.get_subscribers(accounts + ["OLE-999999"])
    assert [s.account_number for s in result.subscribers] == [accounts[0], accounts[2]]
    assert result.missing == (accounts[1], "OLE-999999")


# Marked: refused by docs/oletv-api.yaml's schema too (the others are refused
# only by the platform's rules: catalog codes, package kinds, "Ponto adicional").
SCHEMA_INVALID = pytest.mark.openapi_invalid_requests


@pytest.mark.parametrize("kwargs, field", [
    pytest.param({"login": "not-an-email"}, "login", marks=SCHEMA_INVALID),
    ({"login": "a b@example.com"}, "login"),
    ({"main_package": "NOPE"}, "main_package"),
    ({"main_package": "HBO"}, "main_package"),
    ({"additional_packages": ["HBO", "BASIC"]}, "additional_packages"),
    ({"additional_packages": ["GHOST"]}, "additional_packages"),
    pytest.param({"mac_devices": ["AA:BB:CC:DD:EE"]}, "mac_devices", marks=SCHEMA_INVALID),
    pytest.param({"mac_devices": ["AA:BB-CC:DD:EE:FF"]}, "mac_devices", marks=SCHEMA_INVALID),
    ({"equipment": "TOASTER"}, "equipment"),
    ({"equipment": "STB-4K", "additional_packages": ["HBO"]}, "additional_packages"),
    pytest.param({"technology": "satellite"}, "technology", marks=SCHEMA_INVALID),
    pytest.param({"technology": None}, "technology", marks=SCHEMA_INVALID),
])
def test_create_validation(live_client, kwargs, field):
    kwargs.setdefault("login", "ana@example.com")
    kwargs.setdefault("main_package", "BASIC")
    with pytest.raises(ValidationError) as info:
        live_client.create_subscriber(**kwargs)
    assert info.value.code == "validation_error" and info.value.status_code == 422
    assert field in info.value.details


def test_change_packages_validation(live_client):
    acc = create(live_client, equipment="STB-X1",
                 additional_packages=["EXTRA_POINT"]).account_number
    with pytest.raises(ValidationError) as info:
        live_client.change_packages(acc, "FAMILY", ["HBO"])  # drops "Ponto adicional"
    assert "additional_packages" in info.value.details
    with pytest.raises(ValidationError) as info:
        live_client.change_packages(acc, "UNKNOWN")
    assert "main_package" in info.value.details
    with pytest.raises(NotFoundError):
        live_client.change_packages("OLE-424242", "BASIC")


def test_wrong_credentials_are_refused(sandbox):
    for token, login, password in ((sandbox.token, sandbox.login, "wrong"),
                                   ("wrong", sandbox.login, sandbox.password),
                                   (sandbox.token, "intruder", sandbox.password),
                                   ("", "", "")):
        client = OleTVClient(sandbox.url, token, login, password)
        with pytest.raises(AuthenticationError) as info:
            client.check_connection()
        assert info.value.code == "unauthorized"


def test_ip_allowlist(live_client, sandbox):
    sandbox.set_ip_allowlist(True, ["203.0.113.7"])
    with pytest.raises(IPNotAllowedError) as info:
        live_client.list_packages()
    assert info.value.client_ip == "127.0.0.1" and info.value.status_code == 403
    sandbox.set_ip_allowlist(True, ["203.0.113.7", "127.0.0.1"])
    assert live_client.list_packages()
    sandbox.set_ip_allowlist(False, [])
    assert live_client.check_connection().client_ip == "127.0.0.1"


def test_read_timeout_of_a_create_leaves_an_ambiguous_write(sandbox):
    sandbox.set_faults(timeout_rate=1.0, timeout_seconds=1)
    slow = OleTVClient(sandbox.url, sandbox.token, sandbox.login, sandbox.password,
                       timeout=(1, 0.5), read_retries=0)
    with pytest.raises(PlatformTimeoutError):
        create(slow)
    sandbox.set_faults()
    fast = OleTVClient(sandbox.url, sandbox.token, sandbox.login, sandbox.password)
    found = None
    for _ in range(50):  # the sandbox finishes the request after its 1 s sleep
        found = fast.find_subscriber_by_login("ana@example.com")
        if found:
            break
        time.sleep(0.05)
    assert found is not None and found.status == STATUS_AWAITING_ACTIVATION
    assert sandbox.stats()["creates"] == 1
