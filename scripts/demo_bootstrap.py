"""Points the demo database at the running sandbox and brings the demo to
life: syncs the catalog and creates the demo TV users on the sandbox, then
gives revenue assurance a month to show (Olé TV as supplier, platform
prices, today's platform history, Olé TV's bill of the month with one
package billed once too many, the month computed).

before-server: sets the homologation URL system parameter (plain SQL).
after-server: drives Odoo over XML-RPC as an integrator would.
"""
import argparse
import datetime
import json
import sys
import time
import urllib.request
import xmlrpc.client

import psycopg2


def set_homologation_url(args):
    with psycopg2.connect(host="127.0.0.1", port=args.pg_port, user="odoo",
                          password="odoo", dbname=args.db) as conn, conn.cursor() as cr:
        cr.execute("""
            INSERT INTO ir_config_parameter (key, value, create_date, write_date)
            VALUES ('oletv_integration.homologation_url', %s, now(), now())
            ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, write_date = now()
        """, (args.sandbox_url,))


def bring_demo_to_life(args):
    common = xmlrpc.client.ServerProxy(args.odoo_url + "/xmlrpc/2/common")
    uid = common.authenticate(args.db, "admin", "admin", {})
    models = xmlrpc.client.ServerProxy(args.odoo_url + "/xmlrpc/2/object", allow_none=True)

    def call(model, method, *params):
        return models.execute_kw(args.db, uid, "admin", model, method, list(params))

    integration_ids = call("tv.integration", "search", [("environment", "=", "homologation")])
    for integration_id in integration_ids:
        call("tv.integration", "action_sync_catalog", [integration_id])
    draft_users = call("tv.user", "search", [("platform_state", "=", "draft")])
    if draft_users:
        call("tv.user", "action_create_on_platform", draft_users)
    created = wait_for_accounts(call, draft_users)
    for account in created:  # the demo customers have already watched TV once
        sandbox_admin(args.sandbox_url, "/_admin/subscribers/%s/first-access" % account)
    if created:
        run_cron(call, "oletv_integration.cron_tv_reconcile")
    # the delinquency ladder's customers get their statuses from the policy,
    # as the daily run would give them; their TV users follow on the sandbox
    run_cron(call, "oletv_integration.cron_tv_delinquency")
    suspend_on_request(call, "oletv_integration.demo_contract_suspension", days=30)
    wait_for_accounts(call, call("tv.user", "search", [("sync_state", "=", "pending")]))
    for integration_id in integration_ids:
        revenue_month(call, integration_id)
    statuses = call("account.analytic.account", "read",
                    call("account.analytic.account", "search", [("tv_user_ids", "!=", False)]),
                    ["contract_status"])
    print("Demo ready: %d homologation integration(s) synced, %d TV user(s) created and "
          "activated on the sandbox; contracts by status: %s." % (
              len(integration_ids), len(created), count_statuses(statuses)))


# what Olé TV charges a month per subscriber of each demo package (BRL)
DEMO_PRICES = {"BASIC": 18.0, "FAMILY": 27.0, "PREMIUM": 39.0, "HBO": 12.0, "EXTRA_POINT": 5.0}
VENDOR = "Olé TV Serviços Ltda"


def revenue_month(call, integration_id):
    """Revenue assurance's screens get figures: Olé TV as the integration's
    supplier, the packages' platform prices, the rule "active on any day of
    the month" (the history holds today only: per day it would count a
    day's share), the platform history of today (its scheduled action; the
    job runner runs the job), then this month computed, Olé TV's bill of it
    registered (each package as counted, the first one billed once too
    many: the error the report finds) and the month computed again. Once:
    a second start finds the bill."""
    today = datetime.date.today()
    first = today.replace(day=1).isoformat()
    vendor = call("res.partner", "search", [("name", "=", VENDOR)]) or [call(
        "res.partner", "create", {"name": VENDOR, "supplier": True, "customer": False,
                                  "is_company": True})]
    if call("account.invoice", "search_count", [("partner_id", "=", vendor[0]),
                                                ("tv_billing_month", "=", first)]):
        return
    call("tv.integration", "write", [integration_id], {"vendor_partner_id": vendor[0],
                                                       "platform_billing_rule": "any_day"})
    for package in call("tv.package", "search_read", [("integration_id", "=", integration_id)],
                        ["code"]):
        call("tv.package", "write", [package["id"]],
             {"platform_price": DEMO_PRICES.get(package["code"], 10.0)})
    run_cron(call, "oletv_integration.cron_tv_platform_history")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not call(
            "tv.integration", "read", [integration_id], ["history_last_day"])[0][
                "history_last_day"]:
        time.sleep(1)
    call("tv.integration", "action_compute_revenue_month", [integration_id], first)
    counted = call("tv.revenue.line", "search_read", [
        ("integration_id", "=", integration_id), ("month", "=", first),
        ("counted_quantity", ">", 0)], ["package_code", "counted_quantity"],
        0, 0, "package_code")
    if not counted:
        return
    company = call("tv.integration", "read", [integration_id], ["company_id"])[0]["company_id"][0]
    expense = call("account.account", "search", [
        ("user_type_id", "=", call("ir.model.data", "xmlid_to_res_id",
                                   "account.data_account_type_expenses")),
        ("company_id", "=", company)], 0, 1)
    journal = call("account.journal", "search", [("type", "=", "purchase"),
                                                 ("company_id", "=", company)], 0, 1)
    bill = call("account.invoice", "create", {
        "partner_id": vendor[0], "type": "in_invoice", "date_invoice": today.isoformat(),
        "journal_id": journal[0], "tv_billing_month": first, "invoice_line_ids": [(0, 0, {
            "name": "Olé TV - pacote %s" % row["package_code"],
            "quantity": row["counted_quantity"] + (1 if index == 0 else 0),
            "price_unit": DEMO_PRICES.get(row["package_code"], 10.0),
            "account_id": expense[0]}) for index, row in enumerate(counted)]})
    call("account.invoice", "action_invoice_open", [bill])
    call("tv.integration", "action_compute_revenue_month", [integration_id], first)


def suspend_on_request(call, xmlid, days):
    """The customer travels: a suspension on request of `days` days from
    today, as the TV operator registers it (once: a second start of `make
    run` finds it registered)."""
    contract_id = call("ir.model.data", "xmlid_to_res_id", xmlid)
    if not contract_id or call("tv.request.suspension", "search_count",
                               [("contract_id", "=", contract_id)]):
        return
    first = datetime.date.today()
    call("account.analytic.account", "action_tv_suspend_on_request", [contract_id],
         first.isoformat(), (first + datetime.timedelta(days=days - 1)).isoformat(),
         "Viagem")


def run_cron(call, xmlid):
    cron = call("ir.model.data", "xmlid_to_res_id", xmlid)
    call("ir.cron", "method_direct_trigger", [cron])


def count_statuses(rows):
    counts = {}
    for row in rows:
        counts[row["contract_status"]] = counts.get(row["contract_status"], 0) + 1
    return ", ".join("%s %d" % item for item in sorted(counts.items()))


def wait_for_accounts(call, user_ids, timeout=60):
    """The job runner creates the TV users on the sandbox: wait for it."""
    deadline = time.monotonic() + timeout
    while user_ids and time.monotonic() < deadline:
        users = call("tv.user", "read", user_ids, ["account_number", "sync_state"])
        if all(user["sync_state"] != "pending" for user in users):
            return [user["account_number"] for user in users if user["account_number"]]
        time.sleep(1)
    return []


def sandbox_admin(sandbox_url, path):
    request = urllib.request.Request(sandbox_url + path, method="POST", data=b"{}",
                                     headers={"X-Admin-Key": "sandbox-admin",
                                              "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read() or b"null")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--sandbox-url", required=True)
    parser.add_argument("--odoo-url")
    parser.add_argument("--pg-port", type=int)
    parser.add_argument("--phase", choices=["before-server", "after-server"], required=True)
    args = parser.parse_args()
    try:
        if args.phase == "before-server":
            set_homologation_url(args)
        else:
            bring_demo_to_life(args)
    except (xmlrpc.client.Fault, OSError, psycopg2.Error) as exc:
        print("Warning: the demo could not be fully prepared: %s" % exc, file=sys.stderr)


if __name__ == "__main__":
    main()
