# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Customer notices (README, Customer notices): mail templates
(data/mail_template_tv_notices.xml) queued in Odoo's mail queue for the
contract's customer, in the customer's language, each one a message of the
contract's chatter.

- the contract's status changes (`_set_contract_status`, the single point
  every button and the delinquency policy go through) send *late notice*,
  *reduced*, *suspended* and *released* (notice_rules.status_notice);
- the sync engine calls `tv.user._tv_notify_welcome` once it binds a
  subscriber it created on the platform;
- *Resend access instructions* on the TV user sends the instructions again.

Each notice but the resend follows its switch on the company's delinquency
policy; a company without a policy sends none. A notice never blocks or
rolls back what triggered it: it is rendered in a savepoint of its own,
and a failure is logged. Delivery is the mail queue's (mail.mail,
never force_send); failed deliveries are retried by mail_mail.py."""
import logging

from odoo import _, api, fields, models
from odoo.addons.mail.models.mail_template import format_amount, format_date
from odoo.exceptions import UserError

from .. import access_rules as rules
from .. import notice_rules as notices
from .. import sync_plan as plan
from .tv_delinquency_policy import next_escalation

_logger = logging.getLogger(__name__)

TEMPLATES = {
    notices.WELCOME: "oletv_integration.mail_template_tv_welcome",
    notices.ACCESS_INSTRUCTIONS: "oletv_integration.mail_template_tv_access_instructions",
    notices.LATE_NOTICE: "oletv_integration.mail_template_tv_late_notice",
    notices.REDUCED: "oletv_integration.mail_template_tv_reduced",
    notices.SUSPENDED: "oletv_integration.mail_template_tv_suspended",
    notices.RELEASED: "oletv_integration.mail_template_tv_released",
}
NOTICE_SELECTION = [
    (notices.WELCOME, "Welcome"),
    (notices.ACCESS_INSTRUCTIONS, "Access instructions"),
    (notices.LATE_NOTICE, "Late notice"),
    (notices.REDUCED, "Reduced access"),
    (notices.SUSPENDED, "Suspended"),
    (notices.RELEASED, "Released"),
]


# kept apart from account_analytic_account.py on purpose: the notices hook the
# single status-change point without touching the status workflow's file
class AccountAnalyticAccount(models.Model):
    _inherit = "account.analytic.account"  # pylint: disable=consider-merging-classes-inherited

    def _set_contract_status(self, new_status, block_reason=False):
        previous = {contract.id: contract.contract_status for contract in self}
        result = super()._set_contract_status(new_status, block_reason=block_reason)
        for contract in self:
            contract._tv_notify_status(previous[contract.id], new_status)
        return result

    def _tv_notify_status(self, old_status, new_status):
        policy = self._tv_delinquency_policy()
        blocks = policy.late_notice_blocks_tv if policy else True
        kind = notices.status_notice(old_status, new_status, blocks)
        if kind:
            self._tv_send_notice(kind)

    def _tv_send_notice(self, kind, record=None, forced=False):
        """Queue the notice `kind` about `record` (the contract, or one of its
        TV users) for the contract's customer, if the policy's switch is on
        (`forced`: the operator's resend). Returns the mail.mail (empty when
        none). Never raises: a notice must not undo what triggered it."""
        self.ensure_one()
        mail = self.env["mail.mail"]
        if not forced:
            policy = self._tv_delinquency_policy()
            if not (policy and policy[notices.SWITCHES[kind]]):
                return mail
        try:
            with self.env.cr.savepoint():
                mail = self._tv_queue_notice(kind, record or self)
        except Exception:  # logged, never raised: see the docstring
            _logger.exception("The %s notice of contract %s could not be queued", kind, self.id)
        return mail

    def _tv_queue_notice(self, kind, record):
        partner = self.partner_id
        if not partner.email:
            labels = self.env["mail.mail"].fields_get(["tv_notice"])["tv_notice"]["selection"]
            self.sudo().message_post(body=_(
                'The customer notice "%s" was not sent: the customer has no e-mail address.')
                % dict(labels)[kind])
            return self.env["mail.mail"]
        template = self.env.ref(TEMPLATES[kind]).sudo()
        values = self._tv_notice_values(partner.lang or "en_US")
        mail_id = template.with_context(tv_notice=values).send_mail(record.id, email_values={
            # the contract's chatter shows it; only the customer receives it
            "model": self._name, "res_id": self.id, "record_name": self.display_name,
            "recipient_ids": [(6, 0, partner.ids)], "author_id": self.company_id.partner_id.id,
            "tv_notice": kind})
        return self.env["mail.mail"].sudo().browse(mail_id)

    def _tv_notice_values(self, lang):
        """The figures of the notices, formatted in the customer's language:
        the overdue invoices (number, due date, amount due), their total,
        and the next step of the ladder with its date."""
        env = self.with_context(lang=lang).env
        today = self._tv_today()
        invoices = self._tv_overdue_invoices(today).sorted(lambda inv: (inv.date_due, inv.id))
        currency = invoices[:1].currency_id or self.company_id.currency_id
        policy = self._tv_delinquency_policy()
        next_step, next_date = self._tv_next_restriction(policy, invoices, today)
        return {
            "invoices": [{"number": inv.number or inv.name or "",
                          "date_due": format_date(env, inv.date_due),
                          "amount": format_amount(env, inv.residual, inv.currency_id)}
                         for inv in invoices],
            "total": format_amount(env, sum(invoices.mapped("residual")), currency),
            "tv_blocked": bool(policy) and policy.late_notice_blocks_tv,
            "next_step": next_step or "",
            "next_date": format_date(env, fields.Date.to_string(next_date)) if next_date else "",
        }

    def _tv_next_restriction(self, policy, invoices, today):
        """(reduced|blocked, the day it comes) from the policy's ladder, or
        (False, None): nothing overdue, no policy, or nothing ahead."""
        if not (policy and invoices):
            return False, None
        ladder = (policy.late_notice_days, policy.block_days, policy.reduce_days)
        status, threshold = next_escalation(self._tv_days_overdue(today), *ladder)
        if status == rules.LATE_NOTICE:  # the step after the notice itself
            status, threshold = next_escalation(policy.late_notice_days + 1, *ladder)
        if status not in (rules.REDUCED, rules.BLOCKED):
            return False, None
        oldest = fields.Date.from_string(invoices[0].date_due)
        return status, notices.escalation_date(oldest, threshold)


class TvUser(models.Model):
    _inherit = "tv.user"

    def _tv_notify_welcome(self):
        """The sync engine bound a subscriber it created on the platform (or
        adopted: its own create whose answer was lost) to these TV users."""
        for user in self:
            user.contract_id._tv_send_notice(notices.WELCOME, user)

    @api.multi
    def action_tv_resend_access_instructions(self):
        """Send the customer the TV user's login and the integration's access
        instructions again (TV operators: write access on the TV users)."""
        self.check_access_rights("write")
        self.check_access_rule("write")
        for user in self:
            if user.platform_state not in plan.LIVE_STATES:
                raise UserError(_("%(login)s is not on the platform yet: the instructions are "
                                  "sent once it is created there.") % {"login": user.login})
            if not user.contract_id.partner_id.email:
                raise UserError(_("The customer of %(login)s has no e-mail address.")
                                % {"login": user.login})
            mail = user.sudo().contract_id._tv_send_notice(
                notices.ACCESS_INSTRUCTIONS, user.sudo(), forced=True)
            if not mail:
                raise UserError(_("The access instructions of %(login)s could not be queued; "
                                  "the server log says why.") % {"login": user.login})
        return True
