# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The contract's side of the customer's requests (issue 15): suspension
on request (tv_request_suspension.py) and plan change (tv_plan_change.py).

- Entry points for TV operators, over XML-RPC and behind the wizards:
  `action_tv_suspend_on_request`, `action_tv_plan_change`.
- A contract suspended on request leaves that status only through the
  suspension's end (End now, or the daily run): Release and Activate refuse
  it; deactivating it ends the suspension's log.
- Invoicing: a TV/Streaming line is not charged for the days of its
  invoicing period the TV is suspended on request (a pro rata discount on
  the invoice line, named in its description); a plan change due on the
  invoice's date is applied before the invoice is made."""
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..core import access_rules as rules
from ..core import customer_requests as requests_rules
from . import rpc_arguments as args
from .tv_roles import OPERATOR_GROUP, _check_tv_group


def check_request_operator(records):
    """Refuse unless the caller is a TV operator who can read `records`."""
    _check_tv_group(records, OPERATOR_GROUP, _(
        "Only TV operators (TV Integration / Operator) can suspend a contract on the "
        "customer's request or change a TV user's plan."))


# A second extension of the contract on purpose: the customer's requests are
# their own feature, kept out of account_analytic_account.py (status and
# delinquency), which changes for other reasons.
class AccountAnalyticAccount(models.Model):
    _inherit = "account.analytic.account"  # pylint: disable=consider-merging-classes-inherited

    tv_suspension_ids = fields.One2many("tv.request.suspension", "contract_id",
                                        string="Suspensions on request", readonly=True)
    tv_plan_change_ids = fields.One2many("tv.plan.change", "contract_id",
                                         string="Plan changes", readonly=True)

    # -- suspension on request ------------------------------------------------

    @api.multi
    def action_tv_suspend_on_request(self, date_from, date_to, reason=None):
        """Suspend the TV of these contracts on the customer's request from
        date_from to date_to ('YYYY-MM-DD', both included). TV operators
        only; refused with the reason (nothing written) when the rules of
        customer_requests.py or the contract's status do not allow it."""
        check_request_operator(self)
        date_from = args.date_argument(date_from, _("First day"))
        date_to = args.date_argument(date_to, _("Last day"))
        reason = args.text_argument(reason, _("Reason"))
        today = self._tv_today()
        suspensions = self.env["tv.request.suspension"]
        for contract in self:
            suspensions |= suspensions._tv_request(contract, date_from, date_to, reason, today)
        return suspensions.ids

    def _tv_check_suspendable(self, today):
        self.ensure_one()
        if self.contract_status != rules.ACTIVE:
            labels = dict(self._fields["contract_status"]._description_selection(self.env))
            raise UserError(_(
                'Only an active contract can be suspended on request: %(contract)s is '
                '"%(status)s".') % {"contract": self.display_name,
                                    "status": labels[self.contract_status]})
        if self._tv_trusted(today):
            raise UserError(_(
                "%(contract)s is released in trust until %(until)s (overdue invoices): it "
                "cannot be suspended on request before they are paid.")
                % {"contract": self.display_name, "until": self.trust_release_until})

    # -- plan change -----------------------------------------------------------

    @api.multi
    def action_tv_plan_change(self, tv_user_id, product_id, when="now", reason=None):
        """Change a TV user of this contract to another TV product of the
        same integration, now ('now') or from the next invoicing period
        ('next_period'). TV operators only; refused with the reason, nothing
        changed, when not allowed. Returns the plan change's id."""
        self.ensure_one()
        check_request_operator(self)
        tv_user_id = args.id_argument(tv_user_id, _("TV user"))
        product_id = args.id_argument(product_id, _("TV product"))
        when = args.text_argument(when, _("When"), optional=False)  # its values: _tv_request
        reason = args.text_argument(reason, _("Reason"))
        users = self.env["tv.user"].with_context(active_test=False).browse(tv_user_id)
        product = self.env["product.product"].browse(product_id)
        change = self.env["tv.plan.change"]._tv_request(
            self, users.exists(), product.exists(), when, reason, self._tv_today())
        return change.id

    # -- invoicing ---------------------------------------------------------------

    @api.multi
    def recurring_create_invoice(self):
        today = self._tv_today()
        for contract in self:
            due = contract.sudo().tv_plan_change_ids.filtered(
                lambda c: c.state == "scheduled" and c.date <= fields.Date.to_string(today)
                and c.date <= (contract.recurring_next_date or c.date))
            for change in due.sorted("date"):
                change._tv_apply()
        return super().recurring_create_invoice()

    @api.model
    def _prepare_invoice_line(self, line, invoice_id):
        vals = super()._prepare_invoice_line(line, invoice_id)
        if not vals or line.line_type != "tv":
            return vals
        suspensions = line.analytic_account_id.sudo().tv_suspension_ids
        periods = [s._tv_period() for s in suspensions if s._tv_period()]
        period = (fields.Date.from_string(line.date_from), fields.Date.from_string(line.date_to))
        suspended, total = requests_rules.suspended_share(period, periods)
        if suspended:
            vals["discount"] = requests_rules.discount_with_suspension(
                vals.get("discount") or 0.0, suspended, total)
            vals["name"] = "%s\n%s" % (vals.get("name") or "", _(
                "Suspended on request: %(days)d of %(total)d days not charged.")
                % {"days": suspended, "total": total})
        return vals
