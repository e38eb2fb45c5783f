"""Fault tests: the real Odoo server and queue_job runner against the
sandbox's fault injection. The TV users are created under 30% errors, 10%
timeouts and 30% lost answers of writes (created, but the client sees a
timeout): each is created exactly once. With 30% errors, 10% timeouts, 429
bursts and a 'platform down' window, then recovery, every TV user
converges to its desired state, no subscriber is created twice and no
transition is lost; a worker killed in the middle of a job leaves a job
that is run again."""
import collections
import random
import time

import pytest

from oletv_sandbox.testing import SandboxServer

from oletv_testing.odoo_server import wait_until

from .odoo_server import OdooServer, required_env, tv_contract

USERS = 24
BLOCKING = {"late_notice", "blocked", "deactivated"}
TRANSITIONS = {  # a few operator/dunning moves, all allowed by the contract status rules
    "active": ["action_contract_late_notice", "action_contract_block"],
    "late_notice": ["action_contract_release", "action_contract_block"],
    "blocked": ["action_contract_release"],
}


@pytest.fixture(scope="module")
def sandbox():
    with SandboxServer() as server:
        yield server


@pytest.fixture(scope="module")
def odoo(sandbox):
    server = OdooServer(required_env("OLETV_SYSTEM_DB"), required_env("OLETV_ODOO_CONF")).start()
    try:
        configure(server.rpc, sandbox)
        yield server
    finally:
        server.stop()


def configure(rpc, sandbox):
    for key, value in (("oletv_integration.homologation_url", sandbox.url),
                       ("oletv_integration.retry_base_seconds", "0.5"),
                       ("oletv_integration.retry_max_seconds", "4"),
                       ("oletv_integration.stale_job_minutes", "0.02")):
        rpc("ir.config_parameter", "set_param", key, value)


def pending(rpc):
    return rpc("tv.user", "search_count", [("sync_state", "=", "pending")])


@pytest.fixture(scope="module")
def customers(odoo, sandbox):
    """An integration, a TV product, and USERS contracts each with an
    activated TV user (all created through the job runner, under faults)."""
    rpc = odoo.rpc
    integration = rpc("tv.integration", "create", {
        "name": "Fault test", "environment": "homologation", "access_token": sandbox.token,
        "api_login": sandbox.login, "api_password": sandbox.password, "timeout_seconds": 1})
    rpc("tv.integration", "action_sync_catalog", [integration])
    basic = rpc("tv.package", "search",
                [("integration_id", "=", integration), ("code", "=", "BASIC")])
    product = rpc("product.product", "create", {
        "name": "TV fault test", "type": "service", "is_tv_product": True,
        "tv_platform": "oletv", "tv_integration_id": integration, "tv_main_package_id": basic[0]})
    uom = rpc("product.product", "read", [product], ["uom_id"])[0]["uom_id"][0]
    contracts = []
    sandbox.set_faults(error_rate=0.3, timeout_rate=0.1, write_timeout_rate=0.3,
                       timeout_seconds=2, seed=5)
    for index in range(USERS):
        contract = tv_contract(rpc, "Fault %d" % index, "fault%02d@example.com" % index,
                               product, uom)
        rpc("tv.user", "create", {"contract_id": contract, "product_id": product})
        contracts.append(contract)
    wait_until(lambda: pending(rpc) == 0, 150, "TV users created on the sandbox under faults")
    stats = sandbox.stats()
    sandbox.set_faults()
    print("\nCreates under faults: injected %s; create requests %d for %d TV users"
          % (stats["faults"], stats["requests"].get("create_subscriber", 0), USERS))
    assert stats["faults"]["write_timeouts"] > 0 and stats["faults"]["errors"] > 0, \
        "faults were active during the creates"
    assert_created_once(sandbox, rpc)
    for subscriber in sandbox.state()["subscribers"]:
        sandbox.first_access(subscriber["account_number"])
    trigger_reconcile(rpc)
    wait_until(lambda: rpc("tv.user", "search_count", [("platform_state", "=", "active")]) == USERS,
               30, "first accesses detected")
    return contracts


def assert_created_once(sandbox, rpc):
    """One live subscriber per TV user, each created once, each bound."""
    subscribers = sandbox.state()["subscribers"]
    per_login = collections.Counter(s["login"] for s in subscribers if not s["deleted"])
    assert len(per_login) == USERS and set(per_login.values()) == {1}, "no duplicate"
    assert sandbox.stats()["creates"] == USERS
    users = rpc("tv.user", "search_read", [("login", "like", "fault%")],
                fields=["account_number", "sync_state"])
    unbound = [u["id"] for u in users if not u["account_number"]]
    assert not unbound, "TV users left without their subscriber: %s" % unbound
    assert sorted(u["account_number"] for u in users) == sorted(
        s["account_number"] for s in subscribers)
    assert {u["sync_state"] for u in users} == {"synced"}


def trigger_reconcile(rpc):
    rpc("ir.cron", "method_direct_trigger", [rpc.ref("oletv_integration.cron_tv_reconcile")])


def test_converges_under_faults(odoo, sandbox, customers):
    rpc, rng = odoo.rpc, random.Random(20261125)
    status = {contract: "active" for contract in customers}
    sandbox.set_faults(error_rate=0.3, timeout_rate=0.1, timeout_seconds=2, seed=7)
    started = time.monotonic()
    for round_ in range(4):
        if round_ == 1:
            sandbox.set_faults(error_rate=0.3, timeout_rate=0.1, timeout_seconds=2,
                               rate_limit_burst=15, retry_after=1, seed=8)
        if round_ == 2:
            sandbox.set_faults(down=True)
        for contract in rng.sample(customers, len(customers) // 2):
            action = rng.choice(TRANSITIONS[status[contract]])
            rpc("account.analytic.account", action, [contract])
            status[contract] = "active" if action == "action_contract_release" else (
                "late_notice" if action == "action_contract_late_notice" else "blocked")
        time.sleep(3)
    faults = sandbox.stats()["faults"]
    sandbox.set_faults()  # recovery
    wait_until(lambda: pending(rpc) == 0, 150, "every TV user synced after recovery")
    elapsed = time.monotonic() - started

    users = rpc("tv.user", "search_read", [("contract_id", "in", customers)],
                fields=["contract_id", "account_number", "login", "sync_state"])
    remote = {s["account_number"]: s for s in sandbox.state()["subscribers"]}
    converged = [u for u in users if remote[u["account_number"]]["status"] == (
        "blocked" if status[u["contract_id"][0]] in BLOCKING else "active")]
    per_login = collections.Counter(s["login"] for s in remote.values() if not s["deleted"])
    duplicates = sum(count - 1 for count in per_login.values())
    jobs = rpc("queue.job", "search_read", [("method_name", "=", "_tv_sync_job")],
               fields=["retry"])
    retries = sum(job["retry"] for job in jobs)
    print("\nFault test: injected faults %s; job retries %d; convergence %d/%d (%.0f%%); "
          "duplicates %d; %.1f s from first fault to convergence"
          % (dict(faults), retries, len(converged), len(users),
             100.0 * len(converged) / len(users), duplicates, elapsed))
    assert sum(faults.values()) > 0 and retries > 0, "the faults were really injected and retried"
    assert len(converged) == len(users) == USERS
    assert duplicates == 0 and sandbox.stats()["creates"] == USERS
    assert all(user["sync_state"] == "synced" for user in users)
    assert_no_secret(odoo, sandbox)


def assert_no_secret(odoo, sandbox):
    """No token or password in the server log, the job records or the audit trail."""
    with open(odoo.log_path) as log:
        texts = [log.read()]
    jobs = odoo.rpc("queue.job", "search_read", [], fields=["result", "exc_info", "name"])
    calls = odoo.rpc("tv.api.call", "search_read", [],
                     fields=["request_body", "response_body", "error", "endpoint"])
    texts += [str(value) for row in jobs + calls for value in row.values()]
    for secret in (sandbox.token, sandbox.password):
        assert not [text for text in texts if secret in text], "a secret leaked"
    assert calls, "the audit trail recorded the calls"


def test_killed_worker_leaves_a_job_that_runs_again(odoo, sandbox, customers):
    rpc = odoo.rpc
    contract = next(c for c in customers
                    if rpc("account.analytic.account", "read", [c],
                           ["contract_status"])[0]["contract_status"] == "active")
    user = rpc("tv.user", "search", [("contract_id", "=", contract)])[0]
    sandbox.set_faults(latency_ms=4000)
    rpc("account.analytic.account", "action_contract_block", [contract])

    def job_state():
        jobs = rpc("queue.job", "search_read", [("method_name", "=", "_tv_sync_job"),
                                                ("state", "not in", ["done"])],
                   fields=["state"])
        return [job["state"] for job in jobs]

    wait_until(lambda: "started" in job_state(), 20, "the wake-up job to start")
    odoo.kill()  # the job stays 'started' with nobody running it
    sandbox.set_faults()
    odoo.start()
    trigger_reconcile(odoo.rpc)  # requeues the stale job
    wait_until(lambda: odoo.rpc("tv.user", "read", [user], ["sync_state"])[0]["sync_state"]
               == "synced", 60, "the requeued job to finish")
    account = odoo.rpc("tv.user", "read", [user], ["account_number"])[0]["account_number"]
    remote = {s["account_number"]: s for s in sandbox.state()["subscribers"]}
    assert remote[account]["status"] == "blocked"
