"""Part 7: a month's revenue assurance at scale (issue 25, part 5).

`count` customers (the bench's contracts with their TV users, cloned in SQL
by BenchData), a year of their platform history (part 6's generation, the
same accounts), and one validated TV invoice per customer in December
2026 (a prototype made and validated through the ORM, cloned in SQL: each
clone the customer's, its line on the customer's contract). Then, as the
system (what "Compute month" runs once the caller is checked):

- the month's computation (services/revenue_month.py: the revenue lines
  and the leaks, stored), once;
- the report's read: the month's rows and leaks as the web client's lists
  read them (search_read), and the dispute export
  (services/dispute_export.py: the rows and one row per package and
  subscriber), median of 3.

The history is the customers': its spans bound to their TV users, and 2 %
of the subscribers with packages other than their product's (a leak each);
every contract active and invoiced. The month's rows, leaks and invoices
are rolled back at the end (the customers and the history stay for the
next run, which rebuilds the history).
"""
import statistics
import time
from datetime import date

from odoo import SUPERUSER_ID, api

from . import history
from .data import _clone, _columns

MONTH = date(2026, 12, 1)
INVOICE_DAY = "2026-12-10"
REPEAT = 3
COMPUTE_TARGET_S = 30.0
READ_TARGET_S = 2.0
# the customer's own record for the clone of k (its TV user's account is OLE-k)
BY_ACCOUNT = ("(SELECT u.%s FROM tv_user u WHERE u.integration_id = {integration} "
              "AND u.account_number = 'OLE-' || lpad(g.k::text, 6, '0'))")


def _invoices(env, data, count):
    """One validated TV invoice per customer dated in the month: the
    prototype's through the ORM, the others cloned. Returns the lines' count."""
    cr = env.cr
    contract = env["account.analytic.account"].browse(data.proto["contract"])
    income = env["account.account"].search([
        ("user_type_id", "=", env.ref("account.data_account_type_revenue").id),
        ("company_id", "=", contract.company_id.id)], limit=1)
    product = env["product.product"].browse(data.product_id)
    invoice = env["account.invoice"].create({
        "partner_id": contract.partner_id.id, "type": "out_invoice",
        "date_invoice": INVOICE_DAY, "invoice_line_ids": [(0, 0, {
            "product_id": product.id, "name": product.name, "quantity": 1,
            "price_unit": 50.0, "account_id": income.id,
            "account_analytic_id": contract.id})]})
    invoice.action_invoice_open()
    ks = list(range(2, count + 1))
    if not ks:
        return 1
    sub = BY_ACCOUNT.replace("{integration}", str(data.integration_id))
    overrides = {"partner_id": sub % "partner_id", "commercial_partner_id": sub % "partner_id",
                 "number": "'BENCH/' || g.k", "move_name": "'BENCH/' || g.k",
                 "reference": "NULL", "move_id": "NULL"}
    if "contract_id" in _columns(cr, "account_invoice"):
        overrides["contract_id"] = sub % "contract_id"
    invoices = _clone(cr, "account_invoice", invoice.id, ks, overrides)
    _clone(cr, "account_invoice_line", invoice.invoice_line_ids.id, ks, {
        "invoice_id": "(%d + g.n)" % invoices[ks[0]], "partner_id": sub % "partner_id",
        "account_analytic_id": sub % "contract_id"})
    cr.execute("ANALYZE account_invoice")
    cr.execute("ANALYZE account_invoice_line")
    return count


def _as_customers(cr, integration_id):
    """The generated history made the customers': each span bound to the
    TV user of its account (the daily observation binds them), and the
    packages of 49 subscribers in 50 those of their product (BASIC): 2 %
    of them differ (a leak each)."""
    cr.execute("UPDATE tv_subscriber_span s SET tv_user_id = u.id FROM tv_user u "
               "WHERE s.integration_id = %s AND u.integration_id = s.integration_id "
               "AND u.account_number = s.account_number", (integration_id,))
    cr.execute("UPDATE tv_subscriber_span SET package_codes = 'BASIC' WHERE integration_id = %s "
               "AND substr(account_number, 5)::int %% 50 <> 0", (integration_id,))
    cr.commit()
    cr.autocommit(True)
    cr.execute("VACUUM ANALYZE tv_subscriber_span")
    cr.autocommit(False)


def _median_s(function):
    times = []
    for _run in range(REPEAT):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return round(statistics.median(times), 3)


def measure(registry, data, count, change_every):
    from odoo.addons.oletv_integration.services.dispute_export import DisputeExport
    from odoo.addons.oletv_integration.services.revenue_month import RevenueMonth
    result = {"customers": count}
    result["customers_build_s"] = round(data.grow_to(count), 1)
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        integration = env["tv.integration"].browse(data.integration_id)
        started = time.perf_counter()
        result["history_spans"] = history.generate(cr, integration.id,
                                                   integration.company_id.id, count,
                                                   change_every)
        _as_customers(cr, integration.id)
        result["history_s"] = round(time.perf_counter() - started, 1)
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        integration = env["tv.integration"].browse(data.integration_id)
        started = time.perf_counter()
        result["invoice_lines"] = _invoices(env, data, count)
        result["invoices_build_s"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        RevenueMonth(integration, MONTH).store()
        result["compute_s"] = round(time.perf_counter() - started, 1)
        mine = [("integration_id", "=", integration.id), ("month", "=", str(MONTH))]
        lines = env["tv.revenue.line"]
        leaks = env["tv.revenue.leak"]
        result["rows"] = lines.search_count(mine)
        result["leaks"] = leaks.search_count(mine)
        result["leak_kinds"] = {group["kind"]: group["kind_count"] for group in
                                leaks.read_group(mine, ["kind"], ["kind"])}

        def read_lists():
            env.cache.invalidate()
            lines.search_read(mine)
            leaks.search_read(mine, limit=80)  # the list's first page
            leaks.read_group(mine, ["kind", "amount"], ["kind"])  # the pivot

        result["read_s"] = _median_s(read_lists)
        export = DisputeExport(integration, MONTH)
        result["export_s"] = _median_s(export.content)
        result["export_bytes"] = len(export.content()[1])
        cr.rollback()
    result["targets"] = {"compute_s": COMPUTE_TARGET_S, "read_s": READ_TARGET_S}
    return result
