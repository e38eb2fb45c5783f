"""Two Odoo nodes: two HTTP nodes in prefork mode (--workers=2, queue_job's
runner disabled on both) and queue_job's runner as a process of its own,
on one database and one filestore (the same configuration). RPC calls are
spread over both nodes; node B is killed with kill -9 (with its workers) in
the middle of a bulk block, and the batch it was serving is sent again to
node A, as an operator would. Every TV user converges, no subscriber is
created twice. The runner sends jobs to node A (production puts a proxy
there)."""
import collections
import threading
import time
import xmlrpc.client

import pytest

from oletv_sandbox.testing import SandboxServer
from pure_addon import load

from oletv_testing.odoo_server import wait_until

from .odoo_server import JobRunner, OdooServer, required_env, tv_contract

USERS = 40
BATCH = 8


@pytest.fixture(scope="module")
def cluster():
    db, conf = required_env("OLETV_SYSTEM_DB"), required_env("OLETV_ODOO_CONF")
    nodes = [OdooServer(db, conf, workers=2, runner=False, log_name="two-nodes-%s.log" % name)
             for name in ("a", "b")]
    runner = None
    with SandboxServer() as sandbox:
        try:
            for node in nodes:
                node.start()
            integration = setup_integration(nodes[0].rpc, sandbox)
            channels = load("channels").server_channels(4)
            runner = JobRunner(db, conf, channels, nodes[0].port).start()
            yield nodes, sandbox, integration
        finally:
            if runner:
                runner.stop()
            for node in nodes:
                node.stop()


def setup_integration(rpc, sandbox):
    for key, value in (("oletv_integration.homologation_url", sandbox.url),
                       ("oletv_integration.stale_job_minutes", "0.02")):
        rpc("ir.config_parameter", "set_param", key, value)
    integration = rpc("tv.integration", "create", {
        "name": "Two nodes", "environment": "homologation", "access_token": sandbox.token,
        "api_login": sandbox.login, "api_password": sandbox.password, "timeout_seconds": 2})
    rpc("tv.integration", "action_sync_catalog", [integration])
    return integration


def make_customers(nodes, integration):
    rpc = nodes[0].rpc
    basic = rpc("tv.package", "search", [("integration_id", "=", integration),
                                         ("code", "=", "BASIC")])
    product = rpc("product.product", "create", {
        "name": "TV two nodes", "type": "service", "is_tv_product": True,
        "tv_platform": "oletv", "tv_integration_id": integration, "tv_main_package_id": basic[0]})
    uom = rpc("product.product", "read", [product], ["uom_id"])[0]["uom_id"][0]
    contracts = []
    for index in range(USERS):
        rpc = nodes[index % 2].rpc  # spread over both nodes
        contract = tv_contract(rpc, "Node %d" % index, "node%02d@example.com" % index,
                               product, uom)
        rpc("tv.user", "create", {"contract_id": contract, "product_id": product})
        contracts.append(contract)
    return contracts


def pending(rpc):
    return rpc("tv.user", "search_count", [("sync_state", "=", "pending")])


def test_two_nodes_one_killed_mid_bulk_block(cluster):
    nodes, sandbox, integration = cluster
    node_a, node_b = nodes
    contracts = make_customers(nodes, integration)
    wait_until(lambda: pending(node_a.rpc) == 0, 120, "TV users created through the runner")
    assert sandbox.stats()["creates"] == USERS
    for subscriber in sandbox.state()["subscribers"]:
        sandbox.first_access(subscriber["account_number"])  # this sandbox: ours only
    node_b.rpc("ir.cron", "method_direct_trigger",
               [node_b.rpc.ref("oletv_integration.cron_tv_reconcile")])
    wait_until(lambda: node_a.rpc("tv.user", "search_count", [
        ("contract_id", "in", contracts), ("platform_state", "=", "active")]) == USERS,
               30, "first accesses detected")
    sandbox.set_faults(latency_ms=50)
    batches = [contracts[i:i + BATCH] for i in range(0, USERS, BATCH)]
    killed = threading.Event()
    resent = []

    def block_on_b(batch):
        try:
            node_b.rpc("account.analytic.account", "action_contract_block", batch)
        except (OSError, xmlrpc.client.Error):
            resent.append(batch)  # the node died under it: the operator clicks again
    started = time.monotonic()
    for index, batch in enumerate(batches):
        if index % 2 == 0 or killed.is_set():
            node_a.rpc("account.analytic.account", "action_contract_block", batch)
            continue
        call = threading.Thread(target=block_on_b, args=(batch,))
        call.start()
        if index == 3:  # the middle of the bulk block
            time.sleep(0.15)
            node_b.kill_node()
            killed.set()
        call.join(timeout=60)
    for batch in resent:
        node_a.rpc("account.analytic.account", "action_contract_block", batch)
    assert killed.is_set()
    wait_until(lambda: pending(node_a.rpc) == 0, 120, "every TV user synced after the kill")
    elapsed = time.monotonic() - started

    rpc = node_a.rpc
    users = rpc("tv.user", "search_read", [("contract_id", "in", contracts)],
                fields=["account_number", "sync_state"])
    remote = {s["account_number"]: s for s in sandbox.state()["subscribers"]}
    blocked = [u for u in users if remote[u["account_number"]]["status"] == "blocked"]
    per_login = collections.Counter(s["login"] for s in remote.values() if not s["deleted"])
    jobs = rpc("queue.job", "search_count", [("method_name", "=", "_tv_sync_job")])
    print("\nTwo nodes: node B killed mid bulk block (%d batch(es) resent to node A); "
          "convergence %d/%d; duplicates %d; %d sync jobs in all; %.1f s"
          % (len(resent), len(blocked), len(users), sum(c - 1 for c in per_login.values()),
             jobs, elapsed))
    assert len(users) == len(blocked) == USERS
    assert {u["sync_state"] for u in users} == {"synced"}
    assert set(per_login.values()) == {1} and sandbox.stats()["creates"] == USERS
    statuses = rpc("account.analytic.account", "read", contracts, ["contract_status"])
    assert {s["contract_status"] for s in statuses} == {"blocked"}
