# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The contract's invoicing follows its end. OCA contract invoices a
contract until its `date_end`; a deactivation (an operator's Deactivate, a
confirmed termination) sets it to the contract's last day of service and
settles the invoicing period that day falls in:

- a period not invoiced yet that starts on or before the last day is
  invoiced now, its days after the last day not charged (pro rata, named on
  each line: `ProRata`, applied by the contract's _create_invoice);
- the invoiced lines cover no day after the last day, and the settlement
  (services/settlement.py) credits what they charged for those days: a
  credit note drafted for the billing clerk to validate (validated at once
  where the delinquency policy says so), or a draft invoice corrected in
  place.

A reactivation starts the invoicing again from its day. The chatter says
what was stopped, invoiced and credited. `contracts` are the system's
(as_system): the caller's rights were checked by the status change."""
from datetime import timedelta

from odoo import _, fields

from ..core import customer_requests as requests_rules
from .company_day import as_date
from .invoiced_days import InvoicedDays
from .settlement import Settlement, link
from .tv_roles import as_system

# periods a deactivation invoices at most (a next invoice date far behind)
MAX_CATCH_UP = 24


class ProRata:
    """The days of a new invoice's period that the contract's lines do not
    charge (services/invoiced_days.py), named on each line, and each line's
    record of its period and days (what services/settlement.py corrects
    later). Written by the system after the invoice's creation: the caller
    created it with their own rights."""

    def __init__(self, contract):
        self.contract = as_system(contract)
        # OCA's dates of this invoicing (its lines' period reads them)
        self.dates = {key: contract.env.context[key] for key in ("old_date", "next_date")
                      if key in contract.env.context}

    def apply(self, invoice):
        lines = as_system(invoice).invoice_line_ids.filtered(
            lambda line: line.account_analytic_id == self.contract
            and not line.tv_period_from)
        # the period of this invoicing: the same for every line of the contract
        template = self.contract.recurring_invoice_line_ids[:1].with_context(**self.dates)
        if not lines or not template:
            return
        period = (as_date(template.date_from), as_date(template.date_to))
        invoiced = InvoicedDays(self.contract, self.contract._tv_today())
        addons = self._addon_lines(lines, period)
        for line in lines:
            # an add-on's line covers its own days of the period only
            addon = addons.get(line.id)
            covered = addon._tv_addon_window(invoiced.covered(period)) if addon else None
            self._apply_line(line, invoiced.line_days(period, line.product_id, covered=covered,
                                                      addon=bool(addon)), addon)
        if any(line.discount for line in lines):
            as_system(invoice).compute_taxes()

    def _addon_lines(self, lines, period):
        """{invoice line id: the add-on's contract line it charges}: OCA
        contract makes the invoice lines in the order of the contract's
        lines (those of add-ons without a day in the period left out), so
        the invoice lines of an add-on product, by id, are those of its
        contract lines in that order."""
        contract_lines = self.contract.recurring_invoice_line_ids.filtered(
            lambda line: line.tv_addon_from and line._tv_addon_window(period))
        found = {}
        for product in contract_lines.mapped("product_id"):
            charged = lines.filtered(lambda line: line.product_id == product).sorted("id")
            found.update(zip(charged.ids, contract_lines.filtered(
                lambda line: line.product_id == product)))
        return found

    @staticmethod
    def _apply_line(line, days, addon=None):
        vals = {"tv_period_from": fields.Date.to_string(days.period[0]),
                "tv_period_to": fields.Date.to_string(days.period[1]),
                "tv_covered_from": fields.Date.to_string(days.covered[0]),
                "tv_covered_to": fields.Date.to_string(days.covered[1]),
                "tv_days_charged": days.charged, "tv_full_discount": line.discount,
                "tv_addon_line_id": addon.id if addon else False}
        notes = days.notes()
        if notes:
            vals["discount"] = requests_rules.share_discount(line.discount, days.charged,
                                                             days.total)
            vals["name"] = "\n".join([line.name or ""] + notes)
        line.write(vals)


class ContractBilling:
    """Stop and restart the invoicing of contracts (the system's)."""

    def __init__(self, env):
        self.env = env

    def stop(self, contracts, last_day):
        for contract in contracts.filtered("recurring_invoices"):
            if contract.date_end and as_date(contract.date_end) <= last_day:
                continue  # ended already: nothing more to settle
            contract._tv_write_owned({"tv_billing_stopped_on": fields.Date.to_string(last_day)})
            if as_date(contract.date_start) > last_day:  # never started: nothing to invoice
                contract.write({"recurring_invoices": False})
                contract.message_post(body=_("Invoicing stopped: the contract ended before "
                                             "its start."))
                continue
            contract.write({"date_end": fields.Date.to_string(last_day)})
            notes = self._invoice_started_periods(contract, last_day)
            settlement = Settlement(contract, last_day, contract, _(
                "Contract ended on %s: the days after it are not charged.")
                % fields.Date.to_string(last_day))
            settlement.shorten(last_day)
            notes += settlement.run(post=False)
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
                            as_date(contract.tv_billing_stopped_on) + timedelta(days=1))
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
        the last day (pro rata past it); returns the chatter's lines."""
        notes = []
        delta = self._delta(contract)
        pre_paid = contract.recurring_invoicing_type == "pre-paid"
        for _period in range(MAX_CATCH_UP):
            old_date = as_date(contract.recurring_next_date)
            first = old_date if pre_paid else old_date - delta + timedelta(days=1)
            if first > last_day or old_date + delta <= old_date:  # an interval of 0
                return notes
            invoice = contract.with_context(
                old_date=old_date, next_date=old_date + delta,
                force_company=contract.company_id.id)._create_invoice()
            contract.write({"recurring_next_date": fields.Date.to_string(old_date + delta)})
            if not pre_paid:
                invoice.write({"date_invoice": fields.Date.to_string(last_day)})
            notes.append(_("Last period invoiced up to the last day: %(invoice)s (draft, "
                           "%(amount).2f).") % {"invoice": link(invoice),
                                                "amount": invoice.amount_total})
        notes.append(_("More periods before the last day are not invoiced (the next invoice "
                       "date is far behind): the billing clerk checks them."))
        return notes
