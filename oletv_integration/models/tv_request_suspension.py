# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Suspensions on the customer's request: the TV is blocked from date_from
to date_to (both included) and released automatically afterwards, within
the delinquency policy's rule (Anatel's by default: 30 to 120 days, once in
12 months, customer up to date). Each request
is logged here (who registered it, when, its outcome); the rules live in
customer_requests.py. The daily scheduled action starts and ends them.

A suspension is not dunning: the contract is "Suspended on request", which
the delinquency policy never picks and a payment never releases; at its
end the contract is active again and the policy applies as usual."""
import logging
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date

from ..core import access_rules as rules
from ..core import customer_requests as requests_rules
from ..services.company_day import as_date
from ..services.settlement import Settlement
from ..services.tv_roles import as_system, check_request_operator

_logger = logging.getLogger(__name__)

STATES = [("scheduled", "Scheduled"), ("running", "Running"), ("done", "Ended"),
          ("cancelled", "Cancelled")]
# Suspensions that take (or took) days of the yearly allowance.
COUNTING_STATES = ("scheduled", "running", "done")
# What End now acts on: a scheduled one is cancelled, a running one ended today.
ENDABLE_STATES = ("scheduled", "running")


class TvRequestSuspension(models.Model):
    _name = "tv.request.suspension"
    _description = "Suspension on Request"
    _inherit = ["tv.field.guard"]
    _order = "date_from desc, id desc"

    contract_id = fields.Many2one("account.analytic.account", required=True,
                                  ondelete="restrict", index=True, readonly=True)
    company_id = fields.Many2one(related="contract_id.company_id", store=True, readonly=True)
    date_from = fields.Date(string="From", required=True, readonly=True)
    date_to = fields.Date(string="To", required=True, readonly=True,
                          help="The last day of the suspension the customer asked for.")
    date_end = fields.Date(string="Last day suspended", readonly=True,
                           help="Set when it ends: its last suspended day (before To when "
                                "it was ended early).")
    days = fields.Integer(compute="_compute_days", store=True,
                          help="Days of the customer's yearly allowance it takes.")
    user_id = fields.Many2one("res.users", string="Registered by", required=True,
                              readonly=True, default=lambda self: self.env.user)
    reason = fields.Char(readonly=True)
    state = fields.Selection(STATES, required=True, default="scheduled", readonly=True,
                             index=True)
    tv_can_end = fields.Boolean(string="Can end", compute="_compute_tv_can_end",
                                help="End now applies: the suspension is scheduled or running.")

    @api.depends("date_from", "date_to", "date_end", "state")
    def _compute_days(self):
        for suspension in self:
            period = suspension._tv_period()
            suspension.days = requests_rules.days_of(*period) if period else 0

    @api.depends("state")
    def _compute_tv_can_end(self):
        for suspension in self:
            suspension.tv_can_end = suspension.state in ENDABLE_STATES

    @api.multi
    def name_get(self):
        return [(suspension.id, _("Suspension on request %(from)s – %(to)s") % {
            "from": format_date(self.env, suspension.date_from),
            "to": format_date(self.env, suspension.date_end or suspension.date_to)})
            for suspension in self]

    def _tv_period(self):
        """(first, last day) it takes, or None (cancelled before it started)."""
        if self.state not in COUNTING_STATES or not self.date_from:
            return None
        last = self.date_end if self.state == "done" else self.date_to
        return as_date(self.date_from), as_date(last or self.date_to)

    # -- request -----------------------------------------------------------

    @api.model
    def _tv_request(self, contract, date_from, date_to, reason, today, requester=None):
        """Register (and start at once if it starts today) a suspension of
        `contract`, or refuse with the reason; nothing is written then.
        `requester` (default: the caller) is who asked: the log's
        "Registered by" and the chatter's author (the customer on the
        portal, whose request runs with the system's rights)."""
        requester = requester or self.env.user
        date_from, date_to = as_date(date_from), as_date(date_to)
        if not (date_from and date_to):
            raise UserError(_("Give the first and the last day of the suspension."))
        policy = contract._tv_delinquency_policy()
        if not policy:
            raise UserError(_("Set a delinquency policy for %s first (Invoicing > "
                              "Configuration > Integrations > Delinquency Policies).")
                            % contract.company_id.name)
        refusal = contract._tv_why_not_suspendable(today)
        if refusal:
            raise UserError(refusal)
        others = contract.sudo().tv_suspension_ids.filtered(
            lambda s: s.state in COUNTING_STATES)
        code, details = requests_rules.check_suspension(
            date_from, date_to, today, policy._tv_suspension_rule(),
            [s._tv_period() for s in others],
            overdue=bool(contract.sudo()._tv_overdue_invoices(today)))
        if code:
            raise UserError(self._tv_refusal_message(code, details))
        suspension = as_system(self).create({
            "contract_id": contract.id, "date_from": fields.Date.to_string(date_from),
            "date_to": fields.Date.to_string(date_to), "user_id": requester.id,
            "reason": reason or False})
        as_system(contract).message_post(body=_(
            "Suspension on request registered: TV blocked from %(date_from)s to %(date_to)s "
            "(%(days)d days).") % {"date_from": suspension.date_from,
                                   "date_to": suspension.date_to, "days": suspension.days},
            author_id=requester.partner_id.id)
        suspension._tv_settle(today)
        if date_from <= today:
            suspension.with_env(self.env)._tv_start(today, requester)
        return suspension

    def _tv_settle(self, today):
        """Its days in periods invoiced already: credited when it is
        registered, charged again when it ends early or is cancelled
        (services/settlement.py)."""
        contract = as_system(self.contract_id)
        dates = {"date_from": self.date_from, "date_to": self.date_to, "date_end": self.date_end}
        if self.state == "cancelled":
            reason = _("Suspension on request from %(date_from)s to %(date_to)s cancelled.")
        elif self.state == "done":
            reason = _("Suspension on request from %(date_from)s to %(date_to)s ended on "
                       "%(date_end)s.")
        else:
            reason = _("Suspension on request from %(date_from)s to %(date_to)s registered.")
        Settlement(contract, today, as_system(self), reason % dates).run(
            since=as_date(self.date_from))

    @api.model
    def _tv_refusal_message(self, code, details):
        if code == requests_rules.DISABLED:
            return _("The delinquency policy allows no suspension on request (its limit is "
                     "0 days).")
        if code == requests_rules.END_BEFORE_START:
            return _("The last day of the suspension is before its first day.")
        if code == requests_rules.IN_THE_PAST:
            return _("A suspension on request cannot start in the past: start it today or "
                     "later.")
        if code == requests_rules.NOT_UP_TO_DATE:
            return _("The customer has overdue invoices: a suspension on request is for "
                     "customers up to date (pay or settle them first).")
        if code == requests_rules.TOO_SHORT:
            return _("A suspension on request lasts at least %(min_days)d days: this one has "
                     "%(days)d.") % details
        if code == requests_rules.TOO_MANY:
            return _("A customer may ask for %(max_count)d suspension(s) on request in 12 "
                     "months: the one from %(date_from)s to %(date_to)s is within 12 months of "
                     "this one.") % {
                         "max_count": details["max_count"],
                         "date_from": fields.Date.to_string(details["date_from"]),
                         "date_to": fields.Date.to_string(details["date_to"])}
        if code == requests_rules.OVERLAP:
            return _("The contract is already suspended on request from %(date_from)s to "
                     "%(date_to)s: the new suspension cannot overlap it.") % {
                         "date_from": fields.Date.to_string(details["date_from"]),
                         "date_to": fields.Date.to_string(details["date_to"])}
        return _("A customer may have the TV suspended on request at most %(max_days)d days "
                 "in any 12 months: %(taken)d are already taken in the 12 months around this "
                 "one, %(left)d left, and this one has %(days)d.") % details

    # -- start, end --------------------------------------------------------

    def _tv_start(self, today, requester=None):
        """Block the TV of a scheduled suspension whose first day came. A
        contract that is no longer active then (dunning, deactivated)
        cancels it: the customer may ask again. `requester`: who asked
        (default: the caller)."""
        self.ensure_one()
        requester = requester or self.env.user
        contract = self.contract_id
        if contract.contract_status != rules.ACTIVE or contract._tv_trusted(today):
            as_system(self).write({"state": "cancelled"})
            as_system(contract).message_post(body=_(
                "The suspension on request from %(date_from)s did not start: the contract was "
                "no longer active.") % {"date_from": self.date_from})
            self._tv_settle(today)
            return
        as_system(self).write({"state": "running"})
        contract._set_contract_status(rules.SUSPENDED, acting_user=requester)
        contract._tv_write_owned({"tv_suspended_until": self.date_to}, acting_user=requester)
        as_system(contract).message_post(body=_(
            "Suspended on the customer's request until %(date_to)s: the TV is blocked.")
            % {"date_to": self.date_to}, author_id=requester.partner_id.id)

    def _tv_end(self, last_day, message, requester=None):
        """Close a running suspension on `last_day` and release the TV of a
        contract still suspended on request (it becomes active). `requester`:
        who ended it (default: the caller)."""
        self.ensure_one()
        requester = requester or self.env.user
        contract = self.contract_id
        as_system(self).write({"state": "done", "date_end": fields.Date.to_string(last_day)})
        if contract.tv_suspended_until:
            contract._tv_write_owned({"tv_suspended_until": False}, acting_user=requester)
        if contract.contract_status == rules.SUSPENDED:
            contract._set_contract_status(rules.ACTIVE, acting_user=requester)
        as_system(contract).message_post(body=message, author_id=requester.partner_id.id)
        self._tv_settle(contract._tv_today())

    @api.multi
    def action_end(self):
        """Cancel a scheduled suspension, or end a running one now (the TV is
        released today). TV operators only."""
        check_request_operator(self)
        for suspension in self:
            suspension._tv_end_now()
        return True

    def _tv_end_now(self, requester=None):
        """End now, after the caller's checks: cancel it if scheduled, end it
        today if running (the TV released), or refuse if it is over.
        `requester`: who asked (default: the caller)."""
        self.ensure_one()
        requester = requester or self.env.user
        today = self.contract_id._tv_today()
        if not self.tv_can_end:
            raise UserError(_("This suspension on request is already over."))
        if self.state == "scheduled":
            as_system(self).write({"state": "cancelled"})
            as_system(self.contract_id).message_post(body=_(
                "Suspension on request from %(date_from)s to %(date_to)s cancelled.")
                % {"date_from": self.date_from, "date_to": self.date_to},
                author_id=requester.partner_id.id)
            self._tv_settle(today)
        else:  # running
            last_day = max(as_date(self.date_from), today - timedelta(days=1))
            self._tv_end(last_day, _("Suspension on request ended early: the TV is released."),
                         requester)

    # -- the daily run -------------------------------------------------------

    @api.model
    def _cron_tv_suspensions(self, today=None):
        """Daily (scheduled action only: private, not callable over RPC): end
        the suspensions whose last day passed, start those whose first day
        came. `today` (a date or 'YYYY-MM-DD') lets tests evaluate another
        day; no context key changes it."""
        today = as_date(today) if today else self.env["account.analytic.account"]._tv_today()
        running = self.search([("state", "=", "running")])
        for suspension in running:
            self._tv_isolated(suspension._tv_daily_end, today)
        due = self.search([("state", "=", "scheduled"),
                           ("date_from", "<=", fields.Date.to_string(today))],
                          order="date_from, id")
        for suspension in due:
            self._tv_isolated(suspension._tv_start, today)
        return True

    def _tv_daily_end(self, today):
        if self.contract_id.contract_status != rules.SUSPENDED:
            # deactivated meanwhile: the log ends here, nothing to release
            last_day = max(as_date(self.date_from), today - timedelta(days=1))
            self._tv_end(last_day, _("The suspension on request ended: the contract is no "
                                     "longer suspended."))
        elif as_date(self.date_to) < today:
            self._tv_end(as_date(self.date_to), _(
                "The suspension on request ended on %(date_to)s: the TV is released.")
                % {"date_to": self.date_to})

    def _tv_isolated(self, function, today):
        try:
            with self.env.cr.savepoint():
                function(today)
        except Exception:  # one bad contract must not stop the run
            _logger.exception("Suspension on request %s failed", function.__self__.id)
