# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A month's revenue assurance of an integration, read from Odoo: the
TV lines its company invoiced, Olé TV's vendor bill for the month, the
platform prices and the counted subscribers, set against each other by
core/bill_check.py and stored as the month's tv.revenue.line rows (the
month's rows replaced: computing again is harmless).

- What the ISP invoiced: the lines of validated customer invoices and
  refunds (open or paid; a refund subtracts) dated in the month, of the
  company's TV products of this integration; a line gives each package of
  its product (main and additional, as the product lists them), its
  untaxed amount in the company's currency allocated over them
  (bill_check.allocate).
- Olé TV's bill: the validated vendor bills and refunds of the
  integration's vendor partner whose TV month billed is the month (a bill
  without one: the month before its date). A line is a package's when its
  product is the package's `vendor_product_id`, else when its description
  holds the package's code as a word (the longest code first); otherwise
  it is a line of no package.
- The counts: `tv.integration._tv_month_counts(month)`, what the
  platform's daily history counted (PlatformHistory).

The caller was checked (tv.integration.action_compute_revenue_month): the
reads are the system's, within the integration's company."""
import re
from datetime import timedelta

from odoo import fields

from ..core import access_rules as rules
from ..core import bill_check
from .company_day import company_day, company_day_start
from .platform_leaks import PlatformLeaks
from .tv_roles import as_system

CUSTOMER_TYPES = ("out_invoice", "out_refund")
VENDOR_TYPES = ("in_invoice", "in_refund")
VALIDATED = ("open", "paid")
REFUNDS = ("out_refund", "in_refund")


def month_bounds(month):
    """(first day, last day) of the month of `month` (a date)."""
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


class RevenueMonth:
    """The revenue assurance of `integration` for the month of `month`."""

    def __init__(self, integration, month):
        self.integration = as_system(integration)
        self.env = self.integration.env
        self.company = self.integration.company_id
        self.first, self.last = month_bounds(month)
        self._packages = None
        self._figures = None

    # -- inputs ------------------------------------------------------------------

    def packages(self):
        """{code: tv.package} of the integration, archived ones included."""
        if self._packages is None:
            packages = self.env["tv.package"].with_context(active_test=False).search(
                [("integration_id", "=", self.integration.id)])
            self._packages = {package.code: package for package in packages}
        return self._packages

    def prices(self):
        return self.env["tv.package"]._tv_price_map(
            self.env["tv.package"].union(*self.packages().values()))

    def _customer_lines(self):
        first, last = (fields.Date.to_string(day) for day in (self.first, self.last))
        # an archived TV product's lines count too (Odoo 11 searches a
        # many2one's path with active_test off; test_revenue_assurance pins it)
        return self.env["account.invoice.line"].search([
            ("invoice_id.type", "in", CUSTOMER_TYPES), ("invoice_id.state", "in", VALIDATED),
            ("invoice_id.company_id", "=", self.company.id),
            ("invoice_id.date_invoice", ">=", first), ("invoice_id.date_invoice", "<=", last),
            ("product_id.product_tmpl_id.is_tv_product", "=", True),
            ("product_id.product_tmpl_id.tv_integration_id", "=", self.integration.id)])

    def _line_figures(self):
        """(line id, customer, invoice type, product id, quantity, untaxed
        amount signed, contract id) of the month's TV lines, in one query
        (a month has a line per TV customer: the ORM's per-record reads took
        5 s for 10,000); kept for the month's rows and leaks."""
        if self._figures is None:
            lines = self._customer_lines()
            self.env.cr.execute(
                "SELECT l.id, i.commercial_partner_id, i.type, l.product_id, l.quantity, "
                "COALESCE(l.price_subtotal_signed, 0), "
                "COALESCE(l.account_analytic_id, i.contract_id) "
                "FROM account_invoice_line l JOIN account_invoice i ON i.id = l.invoice_id "
                "WHERE l.id = ANY(%s) ORDER BY l.id", (lines.ids,))
            self._figures = self.env.cr.fetchall()
        return self._figures

    def invoiced_lines(self):
        """bill_check.InvoicedLine of the month's TV lines (each product's
        packages read once)."""
        found = self._line_figures()
        codes = {}
        for product in self.env["product.product"].with_context(active_test=False).browse(
                {row[3] for row in found}):
            main, additional = product.product_tmpl_id.tv_package_codes()
            codes[product.id] = tuple(code for code in [main] + additional if code)  # add-on: none
        return [bill_check.InvoicedLine(line_id, customer, codes[product_id],
                                        -quantity if kind in REFUNDS else quantity,
                                        amount, kind in REFUNDS)
                for line_id, customer, kind, product_id, quantity, amount, _contract in found]

    def vendor_bills(self):
        """The validated bills (and refunds) of Olé TV for the month."""
        vendor = self.integration.vendor_partner_id.commercial_partner_id
        if not vendor:
            return self.env["account.invoice"]
        # a bill without a month billed is for the month before its date
        after_first, after_last = month_bounds(self.last + timedelta(days=1))
        month = fields.Date.to_string(self.first)
        return self.env["account.invoice"].search([
            ("type", "in", VENDOR_TYPES), ("state", "in", VALIDATED),
            ("company_id", "=", self.company.id),
            ("commercial_partner_id", "=", vendor.id),
            "|", ("tv_billing_month", "=", month),
            "&", ("tv_billing_month", "=", False),
            "&", ("date_invoice", ">=", fields.Date.to_string(after_first)),
            ("date_invoice", "<=", fields.Date.to_string(after_last))])

    def bill_lines(self, bills):
        """bill_check.BillLine of the bills' lines, each recognised as a
        package's or not (module docstring)."""
        by_product = {package.vendor_product_id.id: code
                      for code, package in self.packages().items() if package.vendor_product_id}
        rows = []
        for line in bills.mapped("invoice_line_ids"):
            sign = -1 if line.invoice_id.type in REFUNDS else 1
            code = by_product.get(line.product_id.id) or self.code_in(line.name)
            rows.append(bill_check.BillLine(line.id, code, line.name or line.product_id.name,
                                            sign * line.quantity, line.price_subtotal_signed))
        return rows

    def code_in(self, text):
        """The package whose code the text holds as a word, longest code first."""
        for code in sorted(self.packages(), key=len, reverse=True):
            if re.search(r"(?<![\w-])%s(?![\w-])" % re.escape(code), text or ""):
                return code
        return None

    def counts(self):
        return self.integration._tv_month_counts(self.first) or {}

    # -- the month ------------------------------------------------------------------

    def rows(self):
        """The month's bill_check.MonthRow rows."""
        prices = self.prices()
        bills = self.vendor_bills()
        invoiced = bill_check.invoiced_by_package(self.invoiced_lines(), prices)
        return bill_check.compare(self.counts(), invoiced, self.bill_lines(bills), prices,
                                  has_bill=bool(bills))

    def store(self):
        """Replace the month's tv.revenue.line and tv.revenue.leak rows;
        returns the lines."""
        lines = self.env["tv.revenue.line"]
        month = fields.Date.to_string(self.first)
        mine = [("integration_id", "=", self.integration.id), ("month", "=", month)]
        lines.search(mine).unlink()
        self.env["tv.revenue.leak"].search(mine).unlink()
        for leak in self.leaks():
            values = {name: value or False for name, value in leak._asdict().items()}
            self.env["tv.revenue.leak"].create(dict(
                values, integration_id=self.integration.id, company_id=self.company.id,
                month=month))
        packages = self.packages()
        for row in self.rows():
            values = {name: getattr(row, name) for name in STORED_FIELDS}
            values.update(
                integration_id=self.integration.id, company_id=self.company.id, month=month,
                package_id=packages[row.package].id if row.package in packages else False,
                package_code=row.package or False, description=row.description or False,
                invoiced_customers=row.customers, platform_price=row.platform_price or 0.0)
            lines |= lines.create(values)
        return lines

    # -- leaks -----------------------------------------------------------------------

    def leaks(self):
        """bill_check.LeakRow rows of the month (contract, TV user and product
        as ids): TV invoiced with no live TV user, live TV users not
        invoiced, and the platform side's (platform_leaks.py)."""
        invoiced = {}
        for _line, _customer, _kind, product_id, _quantity, amount, contract in \
                self._line_figures():
            if contract:
                invoiced.setdefault(contract, []).append((product_id, amount))
        users = self._live_tv_users()
        prices = {product.id: product.lst_price for product in self.env[
            "product.product"].with_context(active_test=False).browse(
                {product_id for _user, _contract, product_id in users})}
        live = {}
        for tv_user, contract, product_id in users:
            live.setdefault(contract, []).append((tv_user, product_id, prices[product_id]))
        return bill_check.leaks(invoiced, live) + PlatformLeaks(self).rows()

    def _live_tv_users(self):
        """(TV user id, contract id, product id) of the integration's TV
        users on the platform during the month: made on it (an account
        number) by its end, not deleted before it began (a TV user deleted
        is archived or marked deleted: its last change is then its end), and
        their contract in a status giving TV access on some day of it (the
        addon's status history). One query: a month has a TV user per
        customer. The month begins and ends at the company's midnight."""
        system_user = self.env.ref("base.user_root")
        self.env.cr.execute(
            "SELECT id, contract_id, product_id FROM tv_user "
            "WHERE integration_id = %s AND account_number IS NOT NULL "
            "AND create_date < %s AND ((active AND platform_state != 'deleted') "
            "OR write_date >= %s) ORDER BY id",
            (self.integration.id,
             company_day_start(self.company, system_user, self.last + timedelta(days=1)),
             company_day_start(self.company, system_user, self.first)))
        users = self.env.cr.fetchall()
        contracts = self.env["account.analytic.account"].browse(
            {contract for _user, contract, _product in users})
        live = set(self._contracts_live(contracts).ids)
        return [row for row in users if row[1] in live]

    def _contracts_live(self, contracts):
        """The contracts whose status gave TV access on some day of the month
        (their status history and current status in two queries)."""
        if not contracts:
            return contracts
        changes, current, gives_access = self._status_history(contracts)
        return contracts.browse([
            contract_id for contract_id in contracts.ids
            if bill_check.live_in_month(bill_check.month_statuses(
                changes.get(contract_id, []), self.first, self.last, current[contract_id]),
                gives_access)])

    def _status_history(self, contracts):
        """({contract id: [(company day, old status, new status)]}, {contract
        id: status now}, gives_access(status)) of `contracts`, in two
        queries (also platform_leaks.py's)."""
        if not contracts:
            return {}, {}, None
        system_user = self.env.ref("base.user_root")
        self.env.cr.execute(
            "SELECT contract_id, date, old_status, new_status FROM tv_contract_status_change "
            "WHERE contract_id = ANY(%s) ORDER BY contract_id, date, id", (contracts.ids,))
        changes = {}
        for contract_id, date, old_status, new_status in self.env.cr.fetchall():
            changes.setdefault(contract_id, []).append(
                (company_day(self.company, system_user, date), old_status, new_status))
        self.env.cr.execute("SELECT id, contract_status FROM account_analytic_account "
                            "WHERE id = ANY(%s)", (contracts.ids,))
        current = dict(self.env.cr.fetchall())
        policy = self.env["tv.delinquency.policy"].sudo()._for_company(self.company)

        def gives_access(status):
            return rules.desired_access(status, policy.late_notice_blocks_tv) != \
                rules.ACCESS_BLOCKED

        return changes, current, gives_access


# the MonthRow fields stored under the same name on tv.revenue.line
STORED_FIELDS = ("status", "counted_quantity", "subscriber_days", "subscribers",
                 "invoiced_lines", "invoiced_quantity", "revenue", "expected_amount",
                 "platform_cost", "bill_quantity", "bill_amount", "quantity_diff",
                 "amount_diff", "margin")
