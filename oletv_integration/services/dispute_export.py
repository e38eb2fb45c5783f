# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The dispute export of a computed month (controllers/revenue.py serves
it): per package the bill's quantity and amount against what the platform
counted under the integration's rule, then the subscribers behind each
package's count (the platform's daily history). The file's format is
core/dispute_export.py's.

Read as the requesting user, never as the system: whoever may read the
integration, the month's revenue assurance rows and the platform history
may download it (TV managers, invoicing managers and billing clerks of the
integration's company); anyone else is refused before anything is read.
The history's query is SQL (one query for 100,000 subscribers), run only
after those checks and only for the integration the user may read."""
from odoo import _, fields
from odoo.exceptions import UserError

from ..core import dispute_export as export
from .company_day import as_date
from .platform_history import PlatformHistory

READ_MODELS = ("tv.revenue.line", "tv.subscriber.span")


class DisputeExport:
    """The dispute export of `integration` (as the requesting user) for the
    month of `month` (a date in it)."""

    def __init__(self, integration, month):
        integration.ensure_one()
        self.integration = integration
        self.env = integration.env
        self.first = as_date(month).replace(day=1)

    def check(self):
        """Refuse unless the user may read all the file shows."""
        for model in READ_MODELS:
            self.env[model].check_access_rights("read")
        self.integration.check_access_rights("read")
        self.integration.check_access_rule("read")

    def lines(self):
        """The month's rows, as the user (record rules apply)."""
        return self.env["tv.revenue.line"].search([
            ("integration_id", "=", self.integration.id),
            ("month", "=", fields.Date.to_string(self.first))])

    def content(self):
        """(file name, bytes). Raises AccessError or UserError."""
        self.check()
        lines = self.lines()
        if not lines:
            raise UserError(_("No revenue assurance computed for %(month)s of %(name)s.") % {
                "month": export.month_label(self.first, self.env.lang),
                "name": self.integration.name})
        lang = self.env.lang
        rules = dict(self.integration._fields["platform_billing_rule"]._description_selection(
            self.env))
        statuses = dict(lines._fields["status"]._description_selection(self.env))
        month = [(_("Integration"), self.integration.name),
                 (_("Month"), export.month_label(self.first, lang)),
                 (_("Platform billing rule"), rules.get(self.integration.platform_billing_rule)),
                 (_("Currency"), lines[:1].currency_id.name or "")]
        packages = [self._package_row(line, statuses) for line in lines]
        subscribers = PlatformHistory(self.env).month_package_subscribers(
            self.integration, self.first)
        data = export.dispute_csv(month, packages, subscribers, self.labels(), lang)
        return export.file_name(_("dispute"), self.integration.name, self.first), data

    def _package_row(self, line, statuses):
        return {"package_code": line.package_code or "",
                "package": line.package_id.name or line.description or "",
                "bill_quantity": line.bill_quantity, "bill_amount": line.bill_amount,
                "counted_quantity": line.counted_quantity, "subscribers": line.subscribers,
                "subscriber_days": line.subscriber_days, "platform_price": line.platform_price,
                "expected_amount": line.expected_amount, "quantity_diff": line.quantity_diff,
                "amount_diff": line.amount_diff, "status": statuses.get(line.status, "")}

    def labels(self):
        """The columns' titles, translated in the user's language (`_` reads
        it from self.env)."""
        return {"package_code": _("Package code"), "package": _("Package"),
                "bill_quantity": _("Quantity billed"), "bill_amount": _("Amount billed"),
                "counted_quantity": _("Counted quantity"), "subscribers": _("Subscribers"),
                "subscriber_days": _("Subscriber-days"), "platform_price": _("Platform price"),
                "expected_amount": _("Counted x price"),
                "quantity_diff": _("Quantity difference"),
                "amount_diff": _("Amount difference"), "status": _("Status"),
                "account_number": _("Account number"), "login": _("Login"),
                "billable_days": _("Billable days")}
