# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The suspension ladder on the contracts of a day: the daily run of each
company's delinquency policy (late notice, reduced access, total block,
termination proposal; the decisions live in core/delinquency_rules.py), the
release as soon as the overdue invoices are paid, and trust releases.

Only the policy's own decisions are undone automatically: a manual block is
never lifted by a payment or by the daily run, a contract released in trust
is left alone until its trust release ends, and a contract suspended on the
customer's request is never moved by the policy. Status changes go through
the contract's `_set_contract_status`, so the automated actions block,
reduce or release the TV access exactly as the buttons do."""
import logging
from datetime import timedelta

from odoo import SUPERUSER_ID, _, fields
from odoo.exceptions import UserError

from ..core import access_rules as rules
from ..core import delinquency_rules as ladder
from ..core.notice_rules import NoticeBatch
from .company_day import company_day
from .tv_roles import as_system
from .customer_notices import CustomerNotices

_logger = logging.getLogger(__name__)

TERMINATION_ACTIVITY = "oletv_integration.mail_activity_type_termination"


class DelinquencyLadder:
    """The ladder's work on `today` (a date: the contracts' company day; the
    daily run without one takes each company's), in the environment `env`
    (the caller's rights: the daily run is the superuser's, a payment's
    release the system's in the payer's name)."""

    def __init__(self, env, today):
        self.env = env
        self.today = today

    # -- the daily run -----------------------------------------------------------

    def run(self):
        """Apply each company's policy to the contracts it may change, one
        savepoint per contract, on the company's own day (unless the run was
        given one: tests); their notices are collected and queued in one job
        per kind at the end."""
        notice_batch = NoticeBatch()
        given_day = self.today
        contracts = self.env["account.analytic.account"]
        # one policy per company
        for policy in self.env["tv.delinquency.policy"].search([]):  # pylint: disable=no-search-all
            self.today = given_day or contracts._tv_company_today(policy.company_id)
            for contract in self.candidates(policy):
                try:
                    with self.env.cr.savepoint():
                        self.apply(contract, policy, notice_batch)
                except Exception:  # one bad contract must not stop the run
                    _logger.exception("Delinquency policy failed on contract %s", contract.id)
        self.today = given_day
        CustomerNotices(self.env).queue_jobs(notice_batch)

    def candidates(self, policy):
        """Contracts the policy may change: those with an invoice past the
        late notice tolerance, those it changed itself, and trust releases."""
        limit = fields.Date.to_string(self.today - timedelta(days=policy.late_notice_days))
        invoices = as_system(self.env["account.invoice"]).search([
            ("company_id", "=", policy.company_id.id), ("type", "=", "out_invoice"),
            ("state", "=", "open"), ("contract_id", "!=", False), ("date_due", "<", limit)])
        contracts = invoices.mapped("contract_id")
        contracts |= self.env["account.analytic.account"].search([
            ("company_id", "=", policy.company_id.id),
            "|", ("block_reason", "=", "automatic"), ("trust_release_until", "!=", False)])
        return contracts.filtered(lambda c: c.contract_status in ladder.POLICY_STATUSES)

    def apply(self, contract, policy, notice_batch=None):
        """Bring `contract` to the policy's step for its overdue days;
        `notice_batch`: the run's NoticeBatch."""
        days = contract._tv_days_overdue(self.today)
        target = policy._target_status(days)
        if contract.trust_release_until and not contract._tv_trusted(self.today):
            ended = target == rules.BLOCKED and contract.contract_status == rules.ACTIVE
            contract._tv_end_trust_release("blocked_again" if ended else "expired")
            contract.message_post(body=_("The trust release ended."))
        if target == rules.ACTIVE:
            if contract.trust_release_until:
                contract._tv_end_trust_release("paid")
            if ladder.lifted_by_the_run(contract.contract_status, contract.block_reason):
                contract._set_contract_status(rules.ACTIVE, notice_batch=notice_batch)
                contract.message_post(body=_("No overdue invoice left: the contract is active "
                                             "again."))
            return
        if contract._tv_trusted(self.today) or (contract.contract_status == rules.BLOCKED
                                                and contract.block_reason != "automatic"):
            return  # released in trust, or an operator's block
        step = ladder.escalation(contract.contract_status, target)
        if policy.ladder_preset == "anatel":
            step = self._after_notice(contract, policy, step, days)
        self._escalate(contract, policy, step, notice_batch)
        if contract.contract_status == rules.BLOCKED and not contract.tv_termination_proposed_on \
                and policy._proposes_termination(days) \
                and self._suspended_long_enough(contract, policy, days):
            self._propose_termination(contract, policy, days)

    # -- Anatel's ladder: each step counted from the previous one -----------------------

    def _entered(self, contract, status, since):
        """The company's days `contract` entered `status` on or after `since`
        (its status history, stored in UTC: a day either side of the
        company's)."""
        changes = as_system(self.env["tv.contract.status.change"]).search([
            ("contract_id", "=", contract.id), ("new_status", "=", status),
            ("date", ">=", fields.Date.to_string(since - timedelta(days=1)))])
        system = self.env["res.users"].sudo().browse(SUPERUSER_ID)
        days = [company_day(contract.company_id, system, change.date) for change in changes]
        return [day for day in days if day >= since]

    def notified_on(self, contract, policy, days):
        """The day the customer got the late notice of the current debt
        (`days` overdue), or None. A contract past the notice without one in
        its history (changed before 11.0.1.6.0) counts from the ladder's day."""
        oldest = self.today - timedelta(days=days)
        reached = ladder.severity(contract.contract_status) >= ladder.severity(rules.LATE_NOTICE)
        fallback = oldest + timedelta(days=policy.late_notice_days + 1) if reached else None
        return ladder.began_on(self._entered(contract, rules.LATE_NOTICE, oldest), oldest,
                               fallback)

    def _after_notice(self, contract, policy, step, days):
        """Resolução 765/2023 art. 70: no suspension before the policy's gap
        (15 days at least) after the notice of the debt; the notice first."""
        if step not in (rules.REDUCED, rules.BLOCKED):
            return step
        return ladder.after_notice(step, contract.contract_status,
                                   self.notified_on(contract, policy, days), self.today,
                                   policy.block_days - policy.late_notice_days)

    def _suspended_long_enough(self, contract, policy, days):
        """Arts. 73/75: under Anatel's ladder, the termination is proposed
        only the policy's gap (60 days at least) after the block began."""
        if policy.ladder_preset != "anatel":
            return True
        oldest = self.today - timedelta(days=days)
        blocked_on = ladder.began_on(self._entered(contract, rules.BLOCKED, oldest), oldest,
                                     oldest + timedelta(days=policy.block_days + 1))
        return ladder.waited(blocked_on, self.today, policy.termination_days - policy.block_days)

    def _escalate(self, contract, policy, status, notice_batch):
        """Climb to `status` (None: stay), saying why in the chatter."""
        if not status:
            return
        contract._set_contract_status(status, block_reason="automatic", notice_batch=notice_batch)
        if status == rules.BLOCKED:
            body = _("Blocked by the delinquency policy: an invoice is more than %d days "
                     "overdue.") % policy.block_days
        elif status == rules.REDUCED:
            body = _("Access reduced by the delinquency policy (main package only): an "
                     "invoice is more than %d days overdue.") % policy.reduce_days
        else:
            body = _("Late notice by the delinquency policy: an invoice is more than %d days "
                     "overdue.") % policy.late_notice_days
        contract.message_post(body=body)

    # -- release on payment --------------------------------------------------------

    def release_if_paid(self, contracts, payer):
        """On a payment (or a credit note, a cancellation) by `payer`:
        release at once the contracts under a late notice, reduced or
        blocked by the policy that have no overdue invoice left (every step
        at once), in the payer's name. A manual block stays."""
        for contract in contracts:
            releasable = ladder.lifted_by_payment(contract.contract_status, contract.block_reason)
            if not (releasable or contract.trust_release_until):
                continue
            policy = contract._tv_delinquency_policy()
            if policy._target_status(contract._tv_days_overdue(self.today)) != rules.ACTIVE:
                continue
            if contract.trust_release_until:
                contract._tv_end_trust_release("paid")
            if releasable:
                contract._set_contract_status(rules.ACTIVE, acting_user=payer)
                contract.message_post(body=_("Paid: no overdue invoice left, the contract is "
                                             "active again."), author_id=payer.partner_id.id)

    # -- termination proposal --------------------------------------------------------

    def _termination_responsible(self, contract, policy):
        """The contract's responsible; without one, whoever last set the
        company's delinquency policy (its TV or invoicing manager); the
        administrator as the last resort."""
        for responsible in (contract.user_id, policy.write_uid):
            if responsible and responsible.active and not responsible.share:
                return responsible
        return self.env.ref("base.user_root")

    def _propose_termination(self, contract, policy, days):
        """Once per block: an activity for the responsible, and the marker."""
        note = _("An invoice of this contract is %(days)d days overdue (the delinquency policy "
                 "proposes the termination after %(limit)d days) and the contract is blocked. "
                 "Confirm termination on the contract deactivates it and removes its TV users "
                 "from the platform; a payment withdraws this proposal.") % {
                     "days": days, "limit": policy.termination_days}
        today = fields.Date.to_string(self.today)
        as_system(self.env["mail.activity"]).create({
            "res_model_id": self.env["ir.model"]._get(contract._name).id, "res_id": contract.id,
            "activity_type_id": self.env.ref(TERMINATION_ACTIVITY).id,
            "summary": _("Propose the termination of the contract"), "note": note,
            "user_id": self._termination_responsible(contract, policy).id,
            "date_deadline": today})
        contract._tv_write_owned({"tv_termination_proposed_on": today})
        contract.message_post(body=note)

    # -- trust release ----------------------------------------------------------------

    def trust_release(self, contracts, days, requester=None):
        """Release `contracts` in trust for `days` days (None: the policy's),
        within the policy's limit, from today; the log, the status history
        and the chatter name `requester` (default: the caller; the customer
        on the portal, whose request runs with the system's rights)."""
        operator = requester or self.env.user
        for contract in contracts:
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
            until = fields.Date.to_string(self.today + timedelta(days=length))
            previous = (contract.contract_status, contract.block_reason)
            contract._set_contract_status(rules.ACTIVE, acting_user=operator)
            contract._tv_write_owned({"trust_release_until": until}, acting_user=operator)
            # the log is the system's record of the operator's decision: users
            # cannot create (forge) one themselves
            as_system(self.env["tv.trust.release"]).create({
                "contract_id": contract.id, "date": fields.Date.to_string(self.today),
                "user_id": operator.id, "days": length, "date_end": until,
                "previous_status": previous[0], "previous_block_reason": previous[1] or False})
            contract._tv_post(_("Released in trust for %(days)d days, until %(until)s.")
                              % {"days": length, "until": until}, author=operator)
