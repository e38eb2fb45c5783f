# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The contract's invoicing follows its end. OCA contract invoices a
contract until its `date_end`; a deactivation (an operator's Deactivate, a
confirmed termination) sets it to the contract's last day of service and
settles the invoicing period that day falls in:

- a period not invoiced yet that starts on or before the last day is
  invoiced now, its days after the last day not charged (pro rata, named on
  each line: `ProRata`, called from the contract's _prepare_invoice_line);
- a period invoiced in advance (pre-paid) gets a credit note for its days
  after the last day, drafted for the billing clerk to validate (validated
  at once where the delinquency policy says so); a draft invoice of that
  period is corrected in place instead.

A reactivation starts the invoicing again from its day. The chatter says
what was stopped, invoiced and credited. `contracts` are the system's
(as_system): the caller's rights were checked by the status change."""
from datetime import timedelta
from html import escape

from odoo import _, fields

from ..core import customer_requests as requests_rules

POSTED_STATES = ("open", "paid")


def _date(value):
    return fields.Date.from_string(value) if isinstance(value, str) else value


def _link(invoice):
    """An invoice in a chatter note: a link the web client opens."""
    return '<a href="#" data-oe-model="account.invoice" data-oe-id="%d">%s</a>' % (
        invoice.id, escape(invoice.number or invoice.display_name))


class ProRata:
    """The days of an invoice line's period that are not charged: the
    contract's days after its end (every line) and the suspensions on
    request (TV lines)."""

    def __init__(self, line):
        self.line = line
        self.contract = line.analytic_account_id

    def apply(self, vals):
        period = (_date(self.line.date_from), _date(self.line.date_to))
        total = requests_rules.days_of(*period)
        end = _date(self.contract.date_end) if self.contract.date_end else None
        after_end = [(end + timedelta(days=1), period[1])] if end and end < period[1] else []
        suspensions = []
        if self.line.line_type == "tv":
            for suspension in self.contract.sudo().tv_suspension_ids:
                taken = suspension._tv_period()
                if taken and (not end or taken[0] <= end):
                    suspensions.append((taken[0], min(taken[1], end) if end else taken[1]))
        suspended = requests_rules.days_within(period, suspensions)
        ended = requests_rules.days_within(period, after_end)
        if not (suspended or ended):
            return vals
        vals["discount"] = requests_rules.share_discount(
            vals.get("discount") or 0.0, total - suspended - ended, total)
        notes = [vals.get("name") or ""]
        if suspended:
            notes.append(_("Suspended on request: %(days)d of %(total)d days not charged.")
                         % {"days": suspended, "total": total})
        if ended:
            notes.append(_("Contract ended on %(date)s: %(days)d of %(total)d days not "
                           "charged.") % {"date": fields.Date.to_string(end), "days": ended,
                                          "total": total})
        vals["name"] = "\n".join(notes)
        return vals


class ContractBilling:
    """Stop and restart the invoicing of contracts (the system's)."""

    def __init__(self, env):
        self.env = env

    def stop(self, contracts, last_day):
        for contract in contracts.filtered("recurring_invoices"):
            if contract.date_end and _date(contract.date_end) <= last_day:
                continue  # ended already: nothing more to settle
            contract._tv_write_owned({"tv_billing_stopped_on": fields.Date.to_string(last_day)})
            if _date(contract.date_start) > last_day:  # never started: nothing to invoice
                contract.write({"recurring_invoices": False})
                contract.message_post(body=_("Invoicing stopped: the contract ended before "
                                             "its start."))
                continue
            contract.write({"date_end": fields.Date.to_string(last_day)})
            invoiced, notes = self._invoice_started_periods(contract, last_day)
            notes += self._credit_paid_ahead(contract, last_day, invoiced)
            contract.message_post(body="<br/>".join(
                [_("Invoicing stopped: the contract's last day is %s.")
                 % fields.Date.to_string(last_day)] + notes))

    def resume(self, contracts, first_day):
        """A contract deactivated by the addon and active again: invoiced
        again from `first_day`, or from the day after its last day when that
        is later (that day was charged), the end the addon set lifted."""
        for contract in contracts.filtered("tv_billing_stopped_on"):
            if contract.date_end == contract.tv_billing_stopped_on:
                contract.write({"date_end": False})
            elif not contract.recurring_invoices:
                contract.write({"recurring_invoices": True})
            pre_paid = contract.recurring_invoicing_type == "pre-paid"
            first_day = max(first_day,
                            _date(contract.tv_billing_stopped_on) + timedelta(days=1))
            next_date = first_day if pre_paid else first_day + self._delta(contract) - \
                timedelta(days=1)
            contract.write({"recurring_next_date": fields.Date.to_string(next_date)})
            contract._tv_write_owned({"tv_billing_stopped_on": False})
            contract.message_post(body=_("Invoicing resumed: the next invoice is on %s.")
                                  % fields.Date.to_string(next_date))

    # -- the period of the last day ------------------------------------------------

    @staticmethod
    def _delta(contract):
        return contract.get_relative_delta(contract.recurring_rule_type,
                                           contract.recurring_interval)

    def _invoice_started_periods(self, contract, last_day):
        """Invoice now the periods not invoiced yet that start on or before
        the last day (pro rata past it); returns (the invoices, the
        chatter's lines)."""
        invoiced, notes = self.env["account.invoice"], []
        delta = self._delta(contract)
        pre_paid = contract.recurring_invoicing_type == "pre-paid"
        while True:
            old_date = _date(contract.recurring_next_date)
            first = old_date if pre_paid else old_date - delta + timedelta(days=1)
            if first > last_day or old_date + delta <= old_date:  # an interval of 0
                return invoiced, notes
            invoice = contract.with_context(
                old_date=old_date, next_date=old_date + delta,
                force_company=contract.company_id.id)._create_invoice()
            contract.write({"recurring_next_date": fields.Date.to_string(old_date + delta)})
            invoiced |= invoice
            if not pre_paid:
                invoice.write({"date_invoice": fields.Date.to_string(last_day)})
            notes.append(_("Last period invoiced up to the last day: %(invoice)s (draft, "
                           "%(amount).2f).") % {"invoice": _link(invoice),
                                                "amount": invoice.amount_total})

    def _credit_paid_ahead(self, contract, last_day, invoiced):
        """The days after the last day of a period invoiced in advance by the
        contract's own invoices (not those `invoiced` now, already pro rata):
        credited (posted invoice) or taken off (draft). An invoice that has
        a credit note already is left to the billing clerk."""
        if contract.recurring_invoicing_type != "pre-paid":
            return []
        period_end = _date(contract.recurring_next_date) - timedelta(days=1)
        period = (_date(contract.recurring_next_date) - self._delta(contract), period_end)
        if last_day >= period_end:
            return []
        unused = (last_day + timedelta(days=1), period_end)
        lines = self.env["account.invoice.line"].search([
            ("account_analytic_id", "=", contract.id),
            ("invoice_id.contract_id", "=", contract.id),
            ("invoice_id", "not in", invoiced.ids),
            ("invoice_id.type", "=", "out_invoice"),
            ("invoice_id.state", "in", ("draft",) + POSTED_STATES),
            ("invoice_id.date_invoice", ">=", fields.Date.to_string(period[0])),
            ("invoice_id.date_invoice", "<=", fields.Date.to_string(period_end))])
        notes = []
        for invoice in lines.mapped("invoice_id"):
            share = _UnusedShare(contract, period, unused)
            if invoice.refund_invoice_ids.filtered(lambda refund: refund.state != "cancel"):
                notes.append(_("%(invoice)s has a credit note already: not credited again "
                               "(check it).") % {"invoice": _link(invoice)})
            elif invoice.state == "draft":
                share.take_off(lines.filtered(lambda line: line.invoice_id == invoice))
                notes.append(_("%(invoice)s (draft): the %(days)d days after the last day "
                               "taken off.") % {"invoice": _link(invoice), "days": share.days})
            else:
                refund = share.credit(invoice, last_day)
                notes.append(_("%(refund)s (draft, %(amount).2f) credits the %(days)d days "
                               "after the last day, invoiced in advance on %(invoice)s.")
                             % {"refund": _link(refund), "amount": refund.amount_total,
                                "days": share.days, "invoice": _link(invoice)})
        return notes


class _UnusedShare:
    """The share of an invoiced period's charged days that falls after the
    contract's last day."""

    def __init__(self, contract, period, unused):
        self.contract = contract
        self.total = requests_rules.days_of(*period)
        suspensions = [s._tv_period() for s in contract.sudo().tv_suspension_ids
                       if s._tv_period()]
        self.suspended = requests_rules.days_within(period, suspensions)
        self.days = requests_rules.days_of(*unused) - requests_rules.days_within(
            unused, suspensions)
        self.reason = _("Contract ended on %(date)s: %(days)d of %(total)d days not provided.")

    def charged(self, line):
        """Days the line charged (TV lines leave the suspended days out)."""
        return self.total - (self.suspended if line.product_id.is_tv_product else 0)

    def take_off(self, lines):
        for line in lines:
            charged = self.charged(line)
            line.write({
                "discount": requests_rules.share_discount(line.discount, charged - self.days,
                                                          charged),
                "name": "%s\n%s" % (line.name, self._text())})
        lines.mapped("invoice_id").compute_taxes()

    def credit(self, invoice, last_day):
        refund = invoice.refund(description=self._text())
        for line in refund.invoice_line_ids:
            if line.account_analytic_id != self.contract:
                line.unlink()
                continue
            charged = self.charged(line)
            line.write({
                "discount": requests_rules.share_discount(line.discount, self.days, charged),
                "name": "%s\n%s" % (line.name, self._text())})
        refund.write({"contract_id": self.contract.id})
        refund.compute_taxes()
        return refund

    def _text(self):
        return self.reason % {"date": fields.Date.to_string(
            _date(self.contract.date_end)), "days": self.days, "total": self.total}
