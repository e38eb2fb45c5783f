# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""No credit note by hand: when something changes the days a period already
invoiced should charge (a suspension on request registered, ended early or
cancelled, a plan change, a block lifted, the contract's end), the contract's
invoices are settled against what they should charge now
(services/invoiced_days.py):

- a draft invoice's line is corrected in place;
- days charged too many: a credit note of the invoice for them;
- days charged too few: an invoice for them.

Each correction is named after its cause, linked to it (`tv_cause`) and to
the line it corrects (`tv_settled_line_id`, with the days it moves in
`tv_days_charged`: negative on a credit note), drafted for the billing clerk
to validate or validated where the delinquency policy says so. What a line
charged so far is its own days plus its corrections': settling twice moves
nothing twice. An invoice that has a credit note made by hand is left to the
billing clerk (the chatter says so). `contract` is the system's (as_system)."""
import logging
from datetime import timedelta
from html import escape

from odoo import _, fields

from ..core import customer_requests as requests_rules
from .company_day import as_date
from .invoiced_days import PLAN_CHANGED, InvoicedDays

POSTED_STATES = ("open", "paid")

_logger = logging.getLogger(__name__)


def link(invoice):
    """An invoice in a chatter note: a link the web client opens."""
    return '<a href="#" data-oe-model="account.invoice" data-oe-id="%d">%s</a>' % (
        invoice.id, escape(invoice.number or invoice.display_name))


class Settlement:
    """Settle the invoiced periods of one contract (the system's)."""

    def __init__(self, contract, today, cause, reason):
        self.contract = contract
        self.env = contract.env
        self.days = InvoicedDays(contract, today)
        self.cause = cause
        self.reason = reason

    def run(self, since=None, post=True):
        """Correct the lines whose period ends on or after `since`; returns
        the chatter's lines (posted on the contract unless `post` is False).
        A correction that fails (a lock date, a journal) is left to the
        billing clerk, said in the chatter: it never undoes what caused it
        (a payment, a release)."""
        notes = self._isolated(self._run, since)
        if notes and post:
            self.contract.message_post(body="<br/>".join([escape(self.reason)] + notes))
        return notes

    def _run(self, since):
        notes = []
        by_invoice = {}
        for line in self._lines(since):
            delta = self.should_charge(line) - self.charged_so_far(line)
            if delta:
                by_invoice.setdefault(line.invoice_id, []).append((line, delta))
        for invoice, moves in by_invoice.items():
            notes.append(self._settle_invoice(invoice, moves))
        return notes

    def _isolated(self, function, *args):
        try:
            with self.env.cr.savepoint():
                return function(*args)
        except Exception as error:  # pylint: disable=broad-except
            self.env.cache.invalidate()  # it may hold what the savepoint rolled back
            _logger.exception("Settlement of contract %s failed", self.contract.id)
            return [_("The invoices could not be settled (%s): the billing clerk settles them "
                      "by hand.") % escape(str(getattr(error, "name", None) or error))]

    def shorten(self, last_day):
        """The contract ended on `last_day`: its lines cover no day after it
        (run() then credits them). A reactivation does not lengthen them."""
        self.shorten_lines(self._lines(last_day + timedelta(days=1)), last_day)

    @staticmethod
    def shorten_lines(lines, last_day):
        """These invoice lines cover no day after `last_day` (the contract's
        end, an add-on's removal); run() then credits them."""
        for line in lines.filtered(lambda line: line.tv_covered_to and not
                                   line.tv_settled_line_id):
            if as_date(line.tv_covered_to) > last_day:
                line.write({"tv_covered_to": fields.Date.to_string(max(
                    last_day, as_date(line.tv_covered_from) - timedelta(days=1)))})

    def charge_new_plan(self, contract_line, first_day, old_product):
        """A plan change on `first_day`, inside periods invoiced already: the
        new plan (`contract_line`) charged from that day to the end of each
        period whose line of the old plan it took off, on the period's draft
        invoice, else on an invoice of its own."""
        notes = self._isolated(self._charge_new_plan, contract_line, first_day, old_product)
        if notes:
            self.contract.message_post(body="<br/>".join([escape(self.reason)] + notes))
        return notes

    def _charge_new_plan(self, contract_line, first_day, old_product):
        notes = []
        for old in self._lines(first_day).filtered(
                lambda line: as_date(line.tv_period_from) <= first_day
                and line.product_id == old_product
                and self.line_days(line).excluded.get(PLAN_CHANGED)):
            invoice = old.invoice_id
            target = invoice if invoice.state == "draft" else self._new_invoice(invoice)
            self._new_plan_line(target, old, contract_line, first_day)
            if target != invoice:
                self._finish(target)
                notes.append(_("%(refund)s (%(state)s, %(amount).2f) charges the new plan "
                               "from %(date)s to the end of the period invoiced on "
                               "%(invoice)s.") % dict(self._figures(target, invoice, []),
                                                      date=fields.Date.to_string(first_day)))
            else:
                invoice.compute_taxes()
                notes.append(_("%(invoice)s (draft): the new plan added from %(date)s.")
                             % {"invoice": link(invoice),
                                "date": fields.Date.to_string(first_day)})
        return notes

    def charge_added_line(self, contract_line, first_day):
        """A contract line added on `first_day` (an add-on) inside a period
        invoiced already: charged from that day to the end of that period,
        on the period's draft invoice, else on an invoice of its own (OCA
        contract charges it from the next period only)."""
        notes = self._isolated(self._charge_added_line, contract_line, first_day)
        if notes:
            self.contract.message_post(body="<br/>".join([escape(self.reason)] + notes))
        return notes

    def _charge_added_line(self, contract_line, first_day):
        periods = {}
        for line in self._lines(first_day).filtered(
                lambda line: as_date(line.tv_period_from) <= first_day):
            periods.setdefault(line.tv_period_from, line)
        notes = []
        for reference in periods.values():
            invoice = reference.invoice_id
            target = invoice if invoice.state == "draft" else self._new_invoice(invoice)
            added = self._new_plan_line(target, reference, contract_line, first_day)
            if target != invoice:
                self._finish(target)
            else:
                invoice.compute_taxes()
            notes.append(_("%(invoice)s (%(state)s): %(product)s charged from %(date)s to the "
                           "end of the period, %(days)d of %(total)d days.") % {
                               "invoice": link(target), "product": escape(
                                   contract_line.product_id.display_name),
                               "state": self._state_label(target),
                               "date": fields.Date.to_string(first_day),
                               "days": added.tv_days_charged,
                               "total": requests_rules.days_of(
                                   as_date(added.tv_period_from), as_date(added.tv_period_to))})
        return notes

    def _new_plan_line(self, invoice, old, contract_line, first_day):
        period = (as_date(old.tv_period_from), as_date(old.tv_period_to))
        contract = self.contract.with_context(
            old_date=period[0], next_date=period[1] + timedelta(days=1))
        vals = contract._prepare_invoice_line(contract_line.with_env(contract.env), invoice.id)
        days = self.days.line_days(period, contract_line.product_id,
                                   covered=(first_day, as_date(old.tv_covered_to)),
                                   addon=bool(contract_line.tv_addon_from))
        full_discount = vals.get("discount") or 0.0
        vals.update({
            "invoice_id": invoice.id, "tv_period_from": old.tv_period_from,
            "tv_period_to": old.tv_period_to, "tv_covered_from": fields.Date.to_string(first_day),
            "tv_covered_to": old.tv_covered_to, "tv_days_charged": days.charged,
            "tv_full_discount": full_discount,
            "tv_addon_line_id": contract_line.id if contract_line.tv_addon_from else False,
            "discount": requests_rules.share_discount(full_discount, days.charged, days.total),
            "name": "\n".join([vals.get("name") or "", self.reason] + days.notes())})
        return self.env["account.invoice.line"].create(vals)

    def _new_invoice(self, invoice):
        return invoice.copy({
            "invoice_line_ids": [], "origin": invoice.number or invoice.origin,
            "date_invoice": fields.Date.to_string(self.days.today), "date_due": False,
            "name": self.reason})

    # -- what a line charges -------------------------------------------------------

    def _lines(self, since):
        domain = [("account_analytic_id", "=", self.contract.id),
                  ("invoice_id.contract_id", "=", self.contract.id),
                  ("invoice_id.type", "=", "out_invoice"),
                  ("invoice_id.state", "in", ("draft",) + POSTED_STATES),
                  ("tv_period_from", "!=", False), ("tv_settled_line_id", "=", False)]
        if since:
            domain.append(("tv_period_to", ">=", fields.Date.to_string(since)))
        return self.env["account.invoice.line"].search(domain, order="id")

    def line_days(self, line):
        invoice_lines = line.invoice_id.invoice_line_ids.filtered(
            lambda other: other.product_id == line.product_id)
        return self.days.line_days(
            (as_date(line.tv_period_from), as_date(line.tv_period_to)), line.product_id,
            covered=(as_date(line.tv_covered_from), as_date(line.tv_covered_to)),
            created=line.create_date, sole_unit=len(invoice_lines) == 1 and line.quantity == 1,
            addon=bool(line.tv_addon_line_id))

    def should_charge(self, line):
        return self.line_days(line).charged

    @staticmethod
    def _live_corrections(line):
        return line.tv_settlement_line_ids.filtered(
            lambda correction: correction.invoice_id.state != "cancel")

    def charged_so_far(self, line):
        return line.tv_days_charged + sum(self._live_corrections(line).mapped("tv_days_charged"))

    # -- the documents ---------------------------------------------------------------

    def _settle_invoice(self, invoice, moves):
        if invoice.refund_invoice_ids.filtered(
                lambda refund: refund.state != "cancel" and not refund.tv_cause):
            return _("%(invoice)s has a credit note made by hand: not settled (check it).") \
                % {"invoice": link(invoice)}
        if invoice.state == "draft":
            if any(self._live_corrections(line) for line, _delta in moves):
                return _("%(invoice)s (draft) has corrections already: not settled (check "
                         "it).") % {"invoice": link(invoice)}
            for line, _delta in moves:
                self._correct_draft(line)
            invoice.compute_taxes()
            return _("%(invoice)s (draft) corrected: %(days)s.") % {
                "invoice": link(invoice), "days": self._days_text(moves)}
        notes = []
        credits = [(line, -delta) for line, delta in moves if delta < 0]
        charges = [(line, delta) for line, delta in moves if delta > 0]
        if credits:
            refund = self._credit(invoice, credits)
            notes.append(_("%(refund)s (%(state)s, %(amount).2f) credits %(days)s invoiced on "
                           "%(invoice)s.") % self._figures(refund, invoice, credits))
        if charges:
            extra = self._charge(invoice, charges)
            notes.append(_("%(refund)s (%(state)s, %(amount).2f) charges %(days)s not charged "
                           "on %(invoice)s.") % self._figures(extra, invoice, charges))
        return "<br/>".join(notes)

    def _correct_draft(self, line):
        days = self.line_days(line)
        lines_text = [line.name.split("\n")[0]] + days.notes()
        line.write({"tv_days_charged": days.charged, "name": "\n".join(lines_text),
                    "discount": requests_rules.share_discount(
                        line.tv_full_discount, days.charged, days.total)})

    def _credit(self, invoice, credits):
        """A credit note of `invoice` (Odoo's refund: its journal, its link to
        the invoice) with a line per line credited, nothing else."""
        refund = invoice.refund(description=self.reason)
        refund.invoice_line_ids.unlink()
        for line, days in credits:
            line.copy(dict(self._correction_values(line, days, -days), invoice_id=refund.id))
        return self._finish(refund)

    def _charge(self, invoice, charges):
        extra = self._new_invoice(invoice)
        for line, days in charges:
            line.copy(dict(self._correction_values(line, days, days), invoice_id=extra.id))
        return self._finish(extra)

    def _correction_values(self, line, days, signed_days):
        total = requests_rules.days_of(as_date(line.tv_period_from), as_date(line.tv_period_to))
        return {"tv_settled_line_id": line.id, "tv_days_charged": signed_days,
                "tv_full_discount": line.tv_full_discount,
                "discount": requests_rules.share_discount(line.tv_full_discount, days, total),
                "name": "%s\n%s" % (line.name.split("\n")[0], self._days_moved(
                    signed_days, total))}

    def _finish(self, document):
        document.write({"tv_cause": "%s,%d" % (self.cause._name, self.cause.id),
                        "contract_id": self.contract.id})
        document.compute_taxes()
        if self.contract._tv_delinquency_policy().settlement_validate:
            document.action_invoice_open()
        return document

    def _days_moved(self, signed_days, total):
        if signed_days < 0:
            return _("%(reason)s %(days)d of %(total)d days credited.") % {
                "reason": self.reason, "days": -signed_days, "total": total}
        return _("%(reason)s %(days)d of %(total)d days charged.") % {
            "reason": self.reason, "days": signed_days, "total": total}

    @staticmethod
    def _days_text(moves):
        return ", ".join(_("%(product)s %(days)+d days") % {
            "product": line.product_id.display_name, "days": delta} for line, delta in moves)

    def _state_label(self, document):
        return dict(document._fields["state"]._description_selection(self.env))[
            document.state]

    def _figures(self, document, invoice, moves):
        return {"refund": link(document), "invoice": link(invoice),
                "amount": document.amount_total,
                "state": self._state_label(document),
                "days": ", ".join(_("%(days)d days of %(product)s") % {
                    "days": days, "product": line.product_id.display_name}
                    for line, days in moves)}
