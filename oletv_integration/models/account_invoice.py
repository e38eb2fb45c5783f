# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Release on payment: when a contract's invoice is settled (paid by a
reconciled payment or credit note) or cancelled, the contract is checked at
once instead of waiting for the daily run. Other changes (a new invoice
validated, a payment reversed, a due date moved) wait for the daily run.

In Odoo 11 a reconciliation that settles an invoice calls
`action_invoice_paid`, which writes `state`; un-reconciling calls
`action_invoice_re_open`, which writes it back. Both go through `write`.

Money moves TV access, so only what really happened counts: a written
`state` alone proves nothing (a salesperson may write invoices in Odoo 11).
An invoice counts as paid when its receivable lines are reconciled, and as
cancelled when someone with billing rights (or the system) cancelled it.
The fields that tie an invoice to a customer's debt (its contract, its due
date) are changed on a validated invoice by billing users only, and its
contract on a draft too.

Olé TV's monthly vendor bill (an in_invoice of an integration's vendor
partner) says which month it covers (`tv_billing_month`, the month's first
day, by default the month before the bill's date): revenue assurance
(services/revenue_month.py) sets it against that month's counted
subscribers. A billing user sets it."""
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ..services.company_day import as_date

from ..services.delinquency_ladder import DelinquencyLadder
from ..services.tv_roles import as_system, is_system

SETTLED_STATES = ("paid", "cancel")
BILLING_GROUP = "account.group_account_invoice"
DRAFT_STATES = ("draft", "proforma", "proforma2")
# what makes a validated invoice a debt, its customer's, due on a day: only
# billing users change them (a salesperson may write invoices in Odoo 11)
DEBT_FIELDS = ("state", "move_id", "type", "account_id", "partner_id", "commercial_partner_id",
               "contract_id", "date_due", "residual", "residual_signed",
               "residual_company_signed", "reconciled", "company_id", "currency_id",
               "refund_invoice_id", "amount_untaxed", "amount_tax", "amount_total",
               "amount_untaxed_signed", "amount_total_signed", "amount_total_company_signed")


def previous_month(day):
    """The first day of the month before `day`'s."""
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)


class AccountInvoice(models.Model):
    _name = "account.invoice"
    _inherit = ["account.invoice", "tv.field.guard"]

    # what a correction of the TV integration's settlement settles
    # (services/settlement.py): a suspension, a plan change, a contract's end
    tv_cause = fields.Reference(
        [("tv.request.suspension", "Suspension on request"), ("tv.plan.change", "Plan change"),
         ("account.analytic.account", "Contract")],
        string="Settles", readonly=True, copy=False,
        help="The TV integration made this document to settle days already invoiced: "
             "what changed them.")
    tv_billing_month = fields.Date(
        string="TV month billed", copy=False,
        help="The month (its first day) Olé TV's bill is for; by default the month before "
             "the bill's date. Revenue assurance sets the bill against that month.")
    tv_platform_bill = fields.Boolean(
        string="Olé TV's bill", compute="_compute_tv_platform_bill",
        help="The vendor is the Olé TV supplier of a TV integration.")

    @api.depends("partner_id", "type")
    def _compute_tv_platform_bill(self):
        """Read as the system: whoever enters a bill may not read integrations."""
        vendors = self.env["tv.integration"].sudo().search(
            [("vendor_partner_id", "!=", False)]).mapped("vendor_partner_id")
        for invoice in self:
            invoice.tv_platform_bill = invoice.type in ("in_invoice", "in_refund") and bool(
                invoice.partner_id.commercial_partner_id & vendors.mapped(
                    "commercial_partner_id"))

    @api.onchange("partner_id", "date_invoice")
    def _onchange_tv_billing_month(self):
        if self.tv_platform_bill and self.date_invoice:
            self.tv_billing_month = fields.Date.to_string(
                previous_month(as_date(self.date_invoice)))

    @api.constrains("tv_billing_month")
    def _check_tv_billing_month(self):
        for invoice in self.filtered("tv_billing_month"):
            if as_date(invoice.tv_billing_month).day != 1:
                raise ValidationError(_("The TV month billed is a month's first day."))

    def _tv_month_billed(self):
        """The month (first day) this bill of Olé TV is for."""
        self.ensure_one()
        if self.tv_billing_month:
            return as_date(self.tv_billing_month)
        return previous_month(as_date(self.date_invoice or fields.Date.context_today(self)))

    @api.model
    def create(self, vals):
        invoice = super().create(vals)
        # checked on the record created: defaults (context, ir.default) included
        if not self._tv_billing_user() and (invoice.state not in DRAFT_STATES
                                            or invoice.move_id or invoice.contract_id):
            raise AccessError(_("Only billing users can create a validated invoice, or an "
                                "invoice of a contract. Nothing was changed."))
        if invoice.tv_billing_month and not self._tv_billing_user():
            raise AccessError(_("Only billing users set the TV month of Olé TV's bill. "
                                "Nothing was changed."))
        return invoice

    @api.multi
    def write(self, vals):
        self._tv_check_correction()
        self._tv_check_debt_fields(vals)
        result = super().write(vals)
        if vals.get("state") in SETTLED_STATES:
            billing = self._tv_billing_user()
            contracts = as_system(self).filtered(
                lambda inv: inv.type == "out_invoice" and inv._tv_really_settled(billing)
            ).mapped("contract_id")
            if contracts:
                # sudo: whoever registers the payment releases the TV access
                DelinquencyLadder(contracts.env, contracts[0]._tv_today()).release_if_paid(
                    contracts, payer=self.env.user)
        return result

    @api.multi
    def action_invoice_open(self):
        """A credit note of the TV integration's settlement, once validated,
        settles the invoice it credits (Odoo 11's refund leaves both open)."""
        result = super().action_invoice_open()
        for refund in self.filtered(lambda inv: inv.type == "out_refund" and inv.tv_cause
                                    and inv.refund_invoice_id.state == "open"):
            as_system(refund)._tv_reconcile_with_invoice()
        return result

    def _tv_reconcile_with_invoice(self):
        invoice = self.refund_invoice_id
        lines = (self.move_id.line_ids | invoice.move_id.line_ids).filtered(
            lambda line: line.account_id == invoice.account_id and not line.reconciled
            and line.partner_id.commercial_partner_id == invoice.commercial_partner_id)
        if lines.filtered("debit") and lines.filtered("credit"):
            lines.reconcile()

    @api.model
    def _refund_cleanup_lines(self, lines):
        """A credit note's lines do not take the record of what the invoice's
        lines charged (the settlement writes its own)."""
        result = super()._refund_cleanup_lines(lines)
        ledger = self.env["account.invoice.line"]._tv_ledger_fields()
        for command in result:
            if lines._name == "account.invoice.line" and isinstance(command[2], dict):
                for name in ledger:
                    command[2].pop(name, None)
        return result

    @api.multi
    def unlink(self):
        self._tv_check_correction()
        return super().unlink()

    def _tv_check_correction(self):
        """A correction of the settlement (tv_cause) is the billing users',
        draft or not: what it credits is reconciled with its invoice."""
        if self.sudo().filtered("tv_cause") and not self._tv_billing_user():
            raise AccessError(_("Only billing users can change a correction of the TV "
                                "integration's settlement. Nothing was changed."))

    def _tv_billing_user(self):
        return is_system(self.env) or self.env.user.has_group(BILLING_GROUP)

    def _tv_check_debt_fields(self, vals):
        if "tv_billing_month" in vals and not self._tv_billing_user():
            raise AccessError(_("Only billing users set the TV month of Olé TV's bill. "
                                "Nothing was changed."))
        changed = [name for name in DEBT_FIELDS if name in vals]
        if not changed or self._tv_billing_user():
            return
        # a journal entry is a billing act; a state only when it tells the
        # truth (Odoo itself writes paid and open again from reconciliations,
        # in the user's request); the other fields while the invoice is a draft
        others = [name for name in changed if name != "state"]
        # the contract ties even a draft to a customer's dunning and portal
        # (OCA's invoice form does not show it to whoever validates the draft)
        if vals.get("move_id") or "contract_id" in vals or not self._tv_truthful_state(
                vals.get("state")) or (
                others and self.filtered(lambda inv: inv.state not in DRAFT_STATES
                                         or inv.tv_cause)):
            raise AccessError(_("Only billing users can change the contract of an invoice, or "
                                "the state, amounts, customer or due date of a validated "
                                "invoice. Nothing was changed."))

    def _tv_truthful_state(self, state):
        """A state a user without billing rights may write: none; paid when
        the receivable is reconciled; open again when it no longer is; a
        draft's draft or cancellation."""
        if not state:
            return True
        if state == "paid":
            return all(inv._tv_really_settled(False) for inv in self)
        if state == "open":
            return all(inv.state == "paid" and not inv._tv_really_settled(False) for inv in self)
        return all(inv.state in DRAFT_STATES for inv in self)

    def _tv_really_settled(self, by_billing_user):
        """Paid: its receivable lines are reconciled (a payment or a credit
        note); cancelled: by a billing user or the system."""
        self.ensure_one()
        if self.state == "cancel":
            return by_billing_user
        receivable = self._tv_receivable_lines()
        return bool(receivable) and all(line.reconciled for line in receivable)

    def _tv_receivable_lines(self):
        """The invoice's own receivable lines in its posted journal entry (a
        borrowed entry has none of this invoice's)."""
        self.ensure_one()
        if self.move_id.state != "posted":
            return self.env["account.move.line"]
        return self.move_id.line_ids.filtered(
            lambda line: line.account_id == self.account_id and line.invoice_id == self)
