"""An XML-RPC call that meets a concurrent update is retried by Odoo and
succeeds. A contract's status change recomputes its TV users' desired
access; when a sync job updates the same TV user meanwhile, PostgreSQL
refuses the second write ("could not serialize access") and Odoo 11 retries
the call, but its XML-RPC path kept the failed attempt's fields to
recompute: the retry failed on a closed cursor (oletv_integration/rpc_retry.py).
Here the job is played by a second connection that holds the TV user's row."""
import threading
import uuid
import time
import xmlrpc.client

import psycopg2
import pytest

from oletv_testing.odoo_server import wait_until

from .odoo_server import OdooServer, required_env, tv_contract
from .test_first_start import odoo_options


@pytest.fixture(scope="module")
def odoo():
    server = OdooServer(required_env("OLETV_SYSTEM_DB"), required_env("OLETV_ODOO_CONF"),
                        log_name="system-test-odoo-rpc-retry.log", fresh_log=True)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def contract_with_tv_user(rpc):
    product = rpc("product.product", "search_read", [("is_tv_product", "=", True)],
                  fields=["uom_id"], limit=1)[0]
    contract = tv_contract(rpc, "Retry", "retry-%s@example.com" % uuid.uuid4().hex[:8],
                           product["id"], product["uom_id"][0])
    user = rpc("tv.user", "create", {"contract_id": contract, "product_id": product["id"]},
               context={"tv_no_platform_sync": True})  # no job: this test plays the job
    return contract, user


def test_status_change_meeting_a_concurrent_update_is_retried(odoo):
    rpc = odoo.rpc
    contract, user = contract_with_tv_user(rpc)
    options = odoo_options(required_env("OLETV_ODOO_CONF"))
    job = psycopg2.connect(dbname=odoo.db, host=options["db_host"], port=options["db_port"],
                           user=options["db_user"], password=options["db_password"])
    outcome = {}

    def block():
        try:
            outcome["result"] = rpc("account.analytic.account", "action_contract_block", [contract])
        except xmlrpc.client.Fault as fault:
            outcome["fault"] = fault.faultString[-600:]

    try:
        with job.cursor() as cr:  # the "job" updates the TV user and holds its row
            cr.execute("UPDATE tv_user SET write_date = now() at time zone 'UTC' WHERE id = %s",
                       (user,))
            call = threading.Thread(target=block)
            call.start()
            time.sleep(2)  # the call now waits for the row
            job.commit()
        call.join(60)
    finally:
        job.close()
    assert "fault" not in outcome, outcome.get("fault")
    with open(odoo.log_path) as log:
        assert "SERIALIZATION_FAILURE, retry" in log.read(), "the call really was retried"
    wait_until(lambda: rpc("tv.user", "read", [user], ["desired_access"])[0]["desired_access"]
               == "blocked", 10, "the retried status change")
    assert rpc("account.analytic.account", "read", [contract], ["contract_status"])[0][
        "contract_status"] == "blocked"
