# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Delinquency control on contracts: the daily policy run (late notice,
automatic block), release as soon as the overdue invoices are paid, trust
releases, and the contract list's bulk actions.

Only the policy's own decisions are undone automatically: a manual block is
never lifted by a payment or by the daily run. Status changes go through
`_set_contract_status`, so the automated actions block or release the TV
access exactly as the buttons do."""
import logging
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .. import access_rules as rules
from .tv_roles import check_tv_operator

_logger = logging.getLogger(__name__)

# Statuses the policy may move a contract out of (never awaiting signature
# or deactivated).
POLICY_STATUSES = (rules.ACTIVE, rules.LATE_NOTICE, rules.BLOCKED)


def _as_date(value):
    return fields.Date.from_string(value) if isinstance(value, str) else value


class AccountAnalyticAccount(models.Model):
    _inherit = "account.analytic.account"

    trust_release_until = fields.Date(
        string="Trust release until", readonly=True, copy=False, track_visibility="onchange",
        help="Released in trust up to this day: the delinquency policy leaves the contract "
             "alone until then, and blocks it again afterwards if invoices are still overdue.")
    trust_release_ids = fields.One2many("tv.trust.release", "contract_id",
                                        string="Trust releases", readonly=True)
    trust_release_count = fields.Integer(string="Trust releases used",
                                         compute="_compute_trust_release_count")
    overdue_invoice_count = fields.Integer(string="Overdue invoices",
                                           compute="_compute_overdue_invoice_count")

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
        """The user's today: the evaluation day is never taken from the
        context (an RPC caller controls it); tests pass dates to the private
        methods instead."""
        return _as_date(fields.Date.context_today(self))

    def _tv_overdue_invoices(self, today):
        """Open customer invoices of this contract past their due date
        (partially paid ones included)."""
        return self.env["account.invoice"].sudo().search([
            ("contract_id", "in", self.ids), ("type", "=", "out_invoice"),
            ("state", "=", "open"), ("date_due", "<", fields.Date.to_string(today))])

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
        for policy in self.env["tv.delinquency.policy"].search([]):
            contracts = self._tv_policy_candidates(policy, today)
            for contract in contracts:
                try:
                    with self.env.cr.savepoint():
                        contract._tv_apply_delinquency_policy(policy, today)
                except Exception:  # one bad contract must not stop the run
                    _logger.exception("Delinquency policy failed on contract %s", contract.id)
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
        return contracts.filtered(lambda c: c.contract_status in POLICY_STATUSES)

    def _tv_apply_delinquency_policy(self, policy, today):
        self.ensure_one()
        target = policy._target_status(self._tv_days_overdue(today))
        status = self.contract_status
        if self.trust_release_until and not self._tv_trusted(today):
            ended = target == rules.BLOCKED and status == rules.ACTIVE
            self._tv_end_trust_release("blocked_again" if ended else "expired")
            self.message_post(body=_("The trust release ended."))
        if target == rules.ACTIVE:
            if self.trust_release_until:
                self._tv_end_trust_release("paid")
            if status in (rules.LATE_NOTICE, rules.BLOCKED) and self.block_reason == "automatic":
                self._set_contract_status(rules.ACTIVE)
                self.message_post(body=_("No overdue invoice left: the contract is active again."))
            return
        if self._tv_trusted(today) or status == rules.BLOCKED:
            return
        if target == rules.BLOCKED:
            self._set_contract_status(rules.BLOCKED, block_reason="automatic")
            self.message_post(body=_("Blocked by the delinquency policy: an invoice is more "
                                     "than %d days overdue.") % policy.block_days)
        elif status == rules.ACTIVE:
            self._set_contract_status(rules.LATE_NOTICE, block_reason="automatic")
            self.message_post(body=_("Late notice by the delinquency policy: an invoice is "
                                     "more than %d days overdue.") % policy.late_notice_days)

    @api.multi
    def _tv_release_if_paid(self, today=None):
        """On a payment (or a credit note, a cancellation): release at once
        the contracts under a late notice or blocked by the policy that have
        no overdue invoice left. A manual block stays."""
        today = _as_date(today) if today else self._tv_today()
        for contract in self:
            releasable = contract.contract_status == rules.LATE_NOTICE or (
                contract.contract_status == rules.BLOCKED and contract.block_reason == "automatic")
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

    # -- trust release -----------------------------------------------------------

    @api.multi
    def action_tv_trust_release(self, days=None):
        """Release blocked (or late notice) contracts in trust for `days`
        days (default: the policy's), within the policy's limit, from today.
        TV operators only."""
        check_tv_operator(self)
        return self._tv_trust_release(days, self._tv_today())

    def _tv_trust_release(self, days, today):
        operator = self.env.user
        for contract in self:
            if contract.contract_status not in (rules.BLOCKED, rules.LATE_NOTICE):
                raise UserError(_("Only a blocked contract or one under a late notice can be "
                                  "released in trust: %s is not.") % contract.display_name)
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
            self.env["tv.trust.release"].sudo().create({
                "contract_id": contract.id, "date": fields.Date.to_string(today),
                "user_id": operator.id,
                "days": length, "date_end": fields.Date.to_string(until),
                "previous_status": previous[0], "previous_block_reason": previous[1] or False})
            contract.sudo().message_post(
                body=_("Released in trust for %d days, until %s.")
                % (length, fields.Date.to_string(until)), author_id=operator.partner_id.id)
        return True

    # -- bulk actions (contract list, Action menu) --------------------------------

    @api.multi
    def action_tv_bulk_block(self):
        """Block (manually) the selected contracts that can be blocked."""
        eligible = self.filtered(lambda c: rules.can_transition(c.contract_status, rules.BLOCKED))
        if not eligible:
            raise UserError(_("None of the selected contracts can be blocked."))
        eligible.action_contract_block()
        return True

    @api.multi
    def action_tv_bulk_release(self):
        """Release the selected blocked or late notice contracts."""
        eligible = self.filtered(lambda c: c.contract_status in (rules.LATE_NOTICE, rules.BLOCKED))
        if not eligible:
            raise UserError(_("None of the selected contracts is blocked or under a late notice."))
        eligible.action_contract_release()
        return True

    @api.multi
    def action_tv_sync_now(self):
        """Bring the selected contracts' TV users to what Odoo wants on the
        platform (apply the access, retry failures). Proposals from the sales
        flow wait for the operator's Create on platform."""
        users = self.mapped("tv_user_ids")
        if not users:
            raise UserError(_("The selected contracts have no TV user."))
        users = users.filtered(lambda user: not user._tv_is_proposal())
        if not users:
            raise UserError(_("The selected contracts' TV users are proposals not created on "
                              "the platform yet: check them and use Create on platform."))
        users._tv_request_sync()
        return True
