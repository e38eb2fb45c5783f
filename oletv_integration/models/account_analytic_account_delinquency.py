# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Delinquency control on the contract: the daily run of the company's
suspension ladder (late notice, reduced access, total block, termination
proposal; the decisions live in delinquency_rules.py), the release as soon as
the overdue invoices are paid, trust releases, and the confirmation of a
termination proposal.

Only the policy's own decisions are undone automatically: a manual block is
never lifted by a payment or by the daily run, a contract released in trust
is left alone until its trust release ends, and a contract suspended on the
customer's request is never moved by the policy. Status changes go through
`_set_contract_status`, so the automated actions block, reduce or release
the TV access exactly as the buttons do."""
import logging
from datetime import datetime, timedelta

import pytz

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import UserError

from ..core import access_rules as rules
from ..core import delinquency_rules as ladder
from ..core.notice_rules import NoticeBatch
from . import rpc_arguments as args
from .tv_roles import as_system, check_tv_operator

_logger = logging.getLogger(__name__)

TERMINATION_ACTIVITY = "oletv_integration.mail_activity_type_termination"


def company_today(company, system_user):
    """The company's day in its time zone (its partner's), else in the
    system's (the superuser's preferences), else UTC: never the request's
    context nor the caller's own preferences, which an RPC caller sets (a
    `tz` moving today by a day)."""
    tz_name = company.partner_id.tz or system_user.tz or "UTC"
    try:
        zone = pytz.timezone(tz_name)
    except pytz.UnknownTimeZoneError:
        zone = pytz.utc
    return datetime.now(zone).date()


def _as_date(value):
    return fields.Date.from_string(value) if isinstance(value, str) else value


class AccountAnalyticAccount(models.Model):
    _name = "account.analytic.account"
    # the termination proposal is an activity shown on the contract
    _inherit = ["account.analytic.account", "mail.activity.mixin"]

    tv_termination_proposed_on = fields.Date(
        string="Termination proposed on", readonly=True, copy=False,
        track_visibility="onchange",
        help="The delinquency policy proposed the termination of this blocked contract on "
             "this day (an activity for its responsible). Confirm termination deactivates "
             "the contract and removes its TV users from the platform; a payment withdraws "
             "the proposal.")

    @api.depends("trust_release_ids")
    def _compute_trust_release_count(self):
        for contract in self:
            contract.trust_release_count = len(contract.trust_release_ids)

    def _compute_overdue_invoice_count(self):
        today = self._tv_today()
        for contract in self:
            contract.overdue_invoice_count = len(contract._tv_overdue_invoices(today))

    # -- helpers ---------------------------------------------------------------

    def _tv_today(self):
        """The contract company's today (company_today): the evaluation day
        is never taken from the context (an RPC caller controls it); tests
        pass dates to the private methods instead."""
        return company_today(self[:1].company_id or self.env.user.company_id,
                             self.env["res.users"].sudo().browse(SUPERUSER_ID))

    def _tv_overdue_invoices(self, today):
        """Open customer invoices of this contract past their due date
        (partially paid ones included), through their own receivable lines in
        a posted entry, issued since its current customer took it over: after
        a change of holder, the previous holder's invoices are not the new
        one's debt (nor shown to them). Their creation date is the system's
        (no caller writes it), unlike the customer of an invoice's address,
        which an employee may re-parent."""
        return self._tv_open_invoices([("date_due", "<", fields.Date.to_string(today))])

    def _tv_open_invoices(self, domain=()):
        """The current customer's open invoices of these contracts (due or
        not), as _tv_overdue_invoices counts them."""
        invoices = self.env["account.invoice"].sudo().search([
            ("contract_id", "in", self.ids), ("type", "=", "out_invoice"),
            ("state", "=", "open")] + list(domain))
        return invoices.filtered(lambda invoice: invoice._tv_receivable_lines() and (
            not invoice.contract_id.tv_holder_since
            or invoice.create_date >= invoice.contract_id.tv_holder_since))

    def _tv_days_overdue(self, today):
        """Days the oldest overdue open invoice is past its due date, 0 if none."""
        self.ensure_one()
        dates = [_as_date(due) for due in self._tv_overdue_invoices(today).mapped("date_due")]
        return max([(today - due).days for due in dates] or [0])

    def _tv_delinquency_policy(self):
        self.ensure_one()
        return self.env["tv.delinquency.policy"].sudo()._for_company(self.company_id)

    def _tv_trusted(self, today):
        until = _as_date(self.trust_release_until)
        return bool(until and until >= today)

    def _tv_automatic_step(self):
        """Under a step the policy (or a late notice) set, which a payment lifts."""
        return self.contract_status == rules.LATE_NOTICE or (
            self.contract_status in (rules.REDUCED, rules.BLOCKED)
            and self.block_reason == "automatic")

    def _tv_end_trust_release(self, outcome):
        """Close the running trust release, if any, with its outcome."""
        running = self.mapped("trust_release_ids").filtered(lambda r: r.outcome == "running")
        running.sudo().write({"outcome": outcome})
        with_trust = self.filtered("trust_release_until")
        if with_trust:
            with_trust._tv_write_owned({"trust_release_until": False})

    # -- the policy ------------------------------------------------------------

    @api.model
    def _cron_tv_delinquency(self, today=None):
        """Daily (scheduled action only: private, so not callable over RPC):
        apply each company's delinquency policy. `today` (a date or
        'YYYY-MM-DD') lets tests evaluate another day."""
        today = _as_date(today) if today else self._tv_today()
        # the run changes contracts one at a time: their notices are
        # collected and queued in one job per kind at its end
        notice_batch = NoticeBatch()
        # one policy per company
        for policy in self.env["tv.delinquency.policy"].search([]):  # pylint: disable=no-search-all
            contracts = self._tv_policy_candidates(policy, today)
            for contract in contracts:
                try:
                    with self.env.cr.savepoint():
                        contract._tv_apply_delinquency_policy(policy, today, notice_batch)
                except Exception:  # one bad contract must not stop the run
                    _logger.exception("Delinquency policy failed on contract %s", contract.id)
        self._tv_queue_notice_jobs(notice_batch)
        return True

    def _tv_policy_candidates(self, policy, today):
        """Contracts the policy may change: those with an invoice past the
        late notice tolerance, those it changed itself, and trust releases."""
        limit = fields.Date.to_string(today - timedelta(days=policy.late_notice_days))
        invoices = self.env["account.invoice"].sudo().search([
            ("company_id", "=", policy.company_id.id), ("type", "=", "out_invoice"),
            ("state", "=", "open"), ("contract_id", "!=", False), ("date_due", "<", limit)])
        contracts = invoices.mapped("contract_id")
        contracts |= self.search([
            ("company_id", "=", policy.company_id.id),
            "|", ("block_reason", "=", "automatic"), ("trust_release_until", "!=", False)])
        return contracts.filtered(lambda c: c.contract_status in ladder.POLICY_STATUSES)

    def _tv_apply_delinquency_policy(self, policy, today, notice_batch=None):
        """Bring this contract to the policy's step for its overdue days;
        `notice_batch`: the run's NoticeBatch."""
        self.ensure_one()
        days = self._tv_days_overdue(today)
        target = policy._target_status(days)
        if self.trust_release_until and not self._tv_trusted(today):
            ended = target == rules.BLOCKED and self.contract_status == rules.ACTIVE
            self._tv_end_trust_release("blocked_again" if ended else "expired")
            self.message_post(body=_("The trust release ended."))
        if target == rules.ACTIVE:
            if self.trust_release_until:
                self._tv_end_trust_release("paid")
            if self.contract_status in ladder.LADDER and self.block_reason == "automatic":
                self._set_contract_status(rules.ACTIVE, notice_batch=notice_batch)
                self.message_post(body=_("No overdue invoice left: the contract is active again."))
            return
        if self._tv_trusted(today) or (self.contract_status == rules.BLOCKED
                                       and self.block_reason != "automatic"):
            return  # released in trust, or an operator's block
        self._tv_escalate(policy, ladder.escalation(self.contract_status, target), notice_batch)
        if self.contract_status == rules.BLOCKED and not self.tv_termination_proposed_on \
                and policy._proposes_termination(days):
            self._tv_propose_termination(policy, days, today)

    def _tv_escalate(self, policy, status, notice_batch=None):
        """Climb to `status` (None: stay), saying why in the chatter."""
        if not status:
            return
        self._set_contract_status(status, block_reason="automatic", notice_batch=notice_batch)
        if status == rules.BLOCKED:
            body = _("Blocked by the delinquency policy: an invoice is more than %d days "
                     "overdue.") % policy.block_days
        elif status == rules.REDUCED:
            body = _("Access reduced by the delinquency policy (main package only): an "
                     "invoice is more than %d days overdue.") % policy.reduce_days
        else:
            body = _("Late notice by the delinquency policy: an invoice is more than %d days "
                     "overdue.") % policy.late_notice_days
        self.message_post(body=body)

    @api.multi
    def _tv_release_if_paid(self, today=None):
        """On a payment (or a credit note, a cancellation): release at once
        the contracts under a late notice, reduced or blocked by the policy
        that have no overdue invoice left (every step at once). A manual
        block stays."""
        today = _as_date(today) if today else self._tv_today()
        for contract in self:
            releasable = contract._tv_automatic_step()
            if not (releasable or contract.trust_release_until):
                continue
            policy = contract._tv_delinquency_policy()
            if policy._target_status(contract._tv_days_overdue(today)) != rules.ACTIVE:
                continue
            if contract.trust_release_until:
                contract._tv_end_trust_release("paid")
            if releasable:
                contract._set_contract_status(rules.ACTIVE)
                contract.message_post(body=_("Paid: no overdue invoice left, the contract is "
                                             "active again."))
        return True

    # -- termination proposal --------------------------------------------------

    def _tv_termination_responsible(self, policy):
        """The contract's responsible; without one, whoever last set the
        company's delinquency policy (its TV or invoicing manager); the
        administrator as the last resort."""
        for user in (self.user_id, policy.write_uid):
            if user and user.active and not user.share:
                return user
        return self.env.ref("base.user_root")

    def _tv_propose_termination(self, policy, days, today):
        """Once per block: an activity for the responsible, and the marker."""
        self.ensure_one()
        responsible = self._tv_termination_responsible(policy)
        note = _("An invoice of this contract is %(days)d days overdue (the delinquency policy "
                 "proposes the termination after %(limit)d days) and the contract is blocked. "
                 "Confirm termination on the contract deactivates it and removes its TV users "
                 "from the platform; a payment withdraws this proposal.") % {
                     "days": days, "limit": policy.termination_days}
        self.env["mail.activity"].sudo().create({
            "res_model_id": self.env["ir.model"]._get(self._name).id, "res_id": self.id,
            "activity_type_id": self.env.ref(TERMINATION_ACTIVITY).id,
            "summary": _("Propose the termination of the contract"), "note": note,
            "user_id": responsible.id, "date_deadline": fields.Date.to_string(today)})
        self._tv_write_owned({"tv_termination_proposed_on": fields.Date.to_string(today)})
        self.message_post(body=note)

    def _tv_termination_activities(self):
        return self.env["mail.activity"].sudo().search([
            ("res_model", "=", self._name), ("res_id", "in", self.ids),
            ("activity_type_id", "=", self.env.ref(TERMINATION_ACTIVITY).id)])

    def _tv_withdraw_termination(self):
        """The contract left the block (paid, released): no termination."""
        self._tv_termination_activities().unlink()
        self._tv_write_owned({"tv_termination_proposed_on": False})
        self._tv_post(_("Termination proposal withdrawn: the contract is no longer blocked."))

    def _tv_post(self, body):
        """A chatter note on each contract, written by the system in the name
        of the user who acted (a TV operator cannot write on contracts)."""
        author = self.env.user.partner_id.id
        for contract in self.sudo().with_context(tv_tracking_author_id=author):
            contract.message_post(body=body)

    @api.multi
    def action_tv_confirm_termination(self):
        """Confirm the policy's termination proposal: the contract is
        deactivated and its TV users removed from the platform. TV
        operators only; refused (nothing changed) unless every contract has
        a proposal and is still blocked."""
        check_tv_operator(self)
        for contract in self:
            if not contract.tv_termination_proposed_on:
                raise UserError(_("No termination was proposed for %s: only a contract the "
                                  "delinquency policy proposed for termination can be "
                                  "terminated here (Deactivate otherwise).")
                                % contract.display_name)
            if contract.contract_status != rules.BLOCKED:
                raise UserError(_("%s is no longer blocked: its termination proposal does not "
                                  "apply any more.") % contract.display_name)
        # the caller's own rights remove the TV users (archived, deleted there by a job)
        self.mapped("tv_user_ids").unlink()
        self._tv_termination_activities().with_context(
            tv_tracking_author_id=self.env.user.partner_id.id).action_feedback(
                feedback=_("Termination confirmed by %s.") % self.env.user.name)
        self._tv_write_owned({"tv_termination_proposed_on": False})
        self._set_contract_status(rules.DEACTIVATED)
        self._tv_post(_("Termination confirmed: the contract is deactivated and its TV users "
                        "are removed from the platform."))
        return True

    # -- trust release -----------------------------------------------------------

    @api.multi
    def action_tv_trust_release(self, days=None):
        """Release blocked, reduced or late notice contracts in trust for
        `days` days (default: the policy's), within the policy's limit, from
        today. TV operators only."""
        check_tv_operator(self)
        days = args.int_argument(days, _("Days"), minimum=1, maximum=366, optional=True)
        return self._tv_trust_release(days, self._tv_today())

    def _tv_trust_release(self, days, today):
        operator = self.env.user
        for contract in self:
            if contract.contract_status not in rules.RELEASABLE_STATUSES:
                raise UserError(_("Only a blocked contract, one with reduced access or one "
                                  "under a late notice can be released in trust: %s is not.")
                                % contract.display_name)
            policy = contract._tv_delinquency_policy()
            if not policy:
                raise UserError(_("Set a delinquency policy for %s first (Invoicing > "
                                  "Configuration > Integrations > Delinquency Policies).")
                                % contract.company_id.name)
            length = int(days or policy.trust_release_days)
            if not 1 <= length <= policy.trust_release_max_days:
                raise UserError(_("A trust release lasts from 1 to %d days.")
                                % policy.trust_release_max_days)
            until = today + timedelta(days=length)
            previous = (contract.contract_status, contract.block_reason)
            contract._set_contract_status(rules.ACTIVE)
            contract._tv_write_owned({"trust_release_until": fields.Date.to_string(until)})
            # the log is the system's record of the operator's decision: users
            # cannot create (forge) one themselves
            as_system(self.env["tv.trust.release"]).create({
                "contract_id": contract.id, "date": fields.Date.to_string(today),
                "user_id": operator.id,
                "days": length, "date_end": fields.Date.to_string(until),
                "previous_status": previous[0], "previous_block_reason": previous[1] or False})
            contract.sudo().message_post(
                body=_("Released in trust for %(days)d days, until %(until)s.")
                % {"days": length, "until": fields.Date.to_string(until)},
                author_id=operator.partner_id.id)
        return True
