# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Customer notices (docs/operate.md and docs/configure.md, Customer notices): mail templates
(data/mail_template_tv_notices.xml) queued in Odoo's mail queue for the
contract's customer, in the customer's language, each one a message of the
contract's chatter.

- the contract's status changes (`_set_contract_status`, the single point
  every button and the delinquency policy go through) send *late notice*,
  *reduced*, *blocked* and *released* (notice_rules.status_notice): the
  request only queues one job per kind (channel channels.NOTICE_JOB_CHANNEL,
  the contract's `_tv_send_status_notices`) and the job renders the mails,
  for the contracts still in that status;
- the sync engine calls `tv.user._tv_notify_welcome` once it binds a
  subscriber it created on the platform (inside its job: rendered at once);
- *Resend access instructions* on the TV user sends the instructions again
  (at once: the operator is told when it could not be queued).

One rendering path for all of them, `CustomerNotices.queue`: the records
are grouped by the customer's language and each group is rendered in one
call of the template (one compile per field), the figures of each record in
`ctx['tv_notices'][record id]`; a failed batch is rendered one record at a
time. Each notice but the resend follows its switch on the company's
delinquency policy; a company without a policy sends none. A notice never
blocks or rolls back what triggered it: each mail is created in a savepoint
of its own, and a failure is logged. Delivery is the mail queue's
(mail.mail, never force_send); failed deliveries are retried by
models/mail_mail.py."""
import logging
from collections import namedtuple

from babel.dates import format_skeleton

from odoo import _, fields
from odoo.addons.mail.models.mail_template import format_amount, format_date

from ..core import access_rules as rules
from ..core import notice_rules as notices
from ..core.delinquency_rules import ladder_dates, next_escalation
from .notice_view import OBJECTS_KEY
from .tv_roles import as_system
from .wake_ups import quiet_jobs

_logger = logging.getLogger(__name__)

# the fields mail.template.send_mail renders (generate_email's default)
MAIL_FIELDS = ["subject", "body_html", "email_from", "email_to", "partner_to", "email_cc",
               "reply_to", "scheduled_date"]
# a notice job rolls back entirely when it fails: it may run again
NOTICE_JOB_MAX_RETRIES = 5
# The mails wait for Odoo's mail queue anyway (a scheduled action): rendering
# them two minutes later leaves the CPU to the platform work of the same
# status change in a burst (a bulk dunning of thousands of contracts: about
# 15 ms of rendering per notice against 5 of Odoo work per platform call).
NOTICE_JOB_DELAY_SECONDS = 120

# What CustomerNotices.queue did, by record id: the mail.mail queued for
# each record, the records whose customer has no e-mail address, the failures.
NoticeOutcome = namedtuple("NoticeOutcome", "mails no_email failed")


def _partner_values(partner):
    return {"id": partner.id, "name": partner.name or "", "lang": partner.lang or "",
            "email": partner.email or "", "email_formatted": partner.email_formatted or ""}


def notice_object(record):
    """What a notice template may show about `record` (a contract or a TV
    user) as `object` (models/mail_template.py: rendered with these values,
    never with the record): the contract's name and code, its customer, the
    company, and for a TV user its login and access instructions."""
    contract = record.contract_id if record._name == "tv.user" else record
    company = contract.company_id
    values = {
        "id": record.id, "name": contract.name or "", "code": contract.code or "",
        "partner_id": _partner_values(contract.partner_id),
        "company_id": {"id": company.id, "name": company.name or "",
                       "email": company.email or "", "phone": company.phone or "",
                       "website": company.website or "",
                       "partner_id": _partner_values(company.partner_id)},
    }
    if record._name == "tv.user":
        values.update(login=record.login or "",
                      contract_id={"name": contract.name or "", "code": contract.code or ""},
                      integration_id={"name": record.integration_id.name or "",
                                      "access_instructions":
                                          record.integration_id.access_instructions or ""})
    return values


def _contract_of(record):
    return record.contract_id if record._name == "tv.user" else record


def _month(date, lang):
    """The month an invoice refers to (its invoice date's), in `lang`:
    "December 2026", "dezembro de 2026"."""
    return format_skeleton("yMMMM", fields.Date.from_string(date),
                           locale=(lang or "en_US").replace("-", "_"))


class CustomerNotices:
    """The customer notices, in the environment `env` (its language is the
    chatter notes' and the job results')."""

    def __init__(self, env):
        self.env = env

    def policies(self, contracts):
        """{company: its delinquency policy (sudo)} for these contracts'
        companies, one search per company; a company without one is absent."""
        policies = self.env["tv.delinquency.policy"].sudo()
        found = {company: policies._for_company(company)
                 for company in contracts.mapped("company_id")}
        return {company: policy for company, policy in found.items() if policy}

    def labels(self):
        return dict(self.env["mail.mail"].fields_get(["tv_notice"])["tv_notice"]["selection"])

    # -- the notices of a status change -----------------------------------------------

    def enqueue_status_notices(self, previous, new_status, notice_batch=None):
        """`previous`: (contract id, status before, company) of each contract
        whose status became `new_status`. Queue one job per notice kind for
        the contracts whose change sends one (its switch on the company's
        policy); the job renders the mails, minutes later. Nothing to send:
        no job. With `notice_batch` (a NoticeBatch) they are only collected."""
        contracts = self.env["account.analytic.account"].browse([row[0] for row in previous])
        policies = self.policies(contracts)
        by_kind = {}
        for contract_id, old_status, company in previous:
            policy = policies.get(company)
            if not policy:  # a company without a policy sends no notice
                continue
            kind = notices.status_notice(old_status, new_status, policy.late_notice_blocks_tv)
            if kind and policy[notices.SWITCHES[kind]]:
                by_kind.setdefault(kind, []).append(contract_id)
        if notice_batch is not None:  # queued at the end of the run
            for kind, contract_ids in by_kind.items():
                notice_batch.setdefault((kind, new_status), []).extend(contract_ids)
            return
        self.queue_jobs({(kind, new_status): contract_ids
                         for kind, contract_ids in by_kind.items()})

    def queue_jobs(self, groups):
        """One notice job per {(kind, status): [contract ids]} entry."""
        if not groups:
            return
        labels = self.labels()
        # the same quiet context as the sync jobs: queue.job gets no chatter
        quiet = quiet_jobs(self.env["tv.user"]).env
        for (kind, status), contract_ids in sorted(groups.items()):
            quiet["account.analytic.account"].browse(contract_ids).with_delay(
                max_retries=NOTICE_JOB_MAX_RETRIES,
                eta=NOTICE_JOB_DELAY_SECONDS,
                description=_('Olé TV: customer notice "%(notice)s" for %(count)d contract(s)')
                % {"notice": labels[kind], "count": len(contract_ids)},
            )._tv_send_status_notices(kind, status)

    def send_if_current(self, contracts, kind, status):
        """The notice job's work: `kind` for the `contracts` still `status`
        (not for a status that no longer holds: blocked, then released
        before the job ran). Returns the job's result."""
        existing = contracts.exists()
        current = existing.filtered(lambda contract: contract.contract_status == status)
        outcome = self.queue(kind, current)
        lines = [_("%(count)d notice(s) queued.") % {"count": len(outcome.mails)}]
        skipped = [contract_id for contract_id in contracts.ids if contract_id not in current.ids]
        if skipped:
            labels = dict(contracts.fields_get(["contract_status"])["contract_status"]["selection"])
            lines.append(_('%(count)d skipped: the contract is no longer "%(status)s" '
                           '(contract ids %(ids)s).') % {
                               "count": len(skipped), "status": labels.get(status, status),
                               "ids": ", ".join(str(contract_id) for contract_id in skipped)})
        if outcome.no_email:
            lines.append(_("%(count)d not sent: the customer has no e-mail address (noted in "
                           "the contract's chatter).") % {"count": len(outcome.no_email)})
        if outcome.failed:
            lines.append(_("%(count)d could not be rendered or queued (contract ids %(ids)s; "
                           "the server log says why).") % {
                               "count": len(outcome.failed),
                               "ids": ", ".join(str(record_id) for record_id in outcome.failed)})
        return "\n".join(lines)

    # -- rendering and queueing ---------------------------------------------------------

    def queue(self, kind, records, extra=None):
        """Render the notice `kind` about each of `records` (contracts, or TV
        users: the welcome and the resend) and queue it for its contract's
        customer, whatever the policy says (the callers decided). The
        records are grouped by the customer's language and each group is
        rendered in one call of the template; `extra`: {record id: figures
        added to its own} (a request's summary, in the customer's language).
        Never raises: a notice must not undo what triggered it; returns a
        NoticeOutcome."""
        outcome = NoticeOutcome({}, [], [])
        if not records:
            return outcome
        groups = {}
        for record in records:
            contract = _contract_of(record)
            if contract.partner_id.email:
                groups.setdefault(contract.partner_id.lang or "en_US", []).append(record.id)
                continue
            outcome.no_email.append(record.id)
            self._note_no_email(contract, kind)
        template = self.env.ref(notices.NOTICE_TEMPLATES[kind], raise_if_not_found=False)
        if not template:
            _logger.error("The template of the %s notice is missing: nothing sent.", kind)
            outcome.failed.extend(sum(groups.values(), []))
            return outcome
        for lang, record_ids in groups.items():
            self._queue_group(kind, template, lang, records.browse(record_ids), outcome,
                              extra or {})
        return outcome

    def _note_no_email(self, contract, kind):
        try:
            with self.env.cr.savepoint():
                as_system(contract).message_post(body=_(
                    'The customer notice "%s" was not sent: the customer has no e-mail '
                    'address.') % self.labels()[kind])
        except Exception:  # logged, never raised: see queue()
            _logger.exception("The note on contract %s's missing e-mail could not be posted",
                              contract.id)

    def _queue_group(self, kind, template, lang, group, outcome, extra):
        """Render and queue `kind` for `group`, records of one language."""
        figures, objects = {}, {}
        for record in group:
            try:
                with self.env.cr.savepoint():
                    figures[record.id] = dict(self.values(_contract_of(record), lang),
                                              **extra.get(record.id, {}))
                    objects[record.id] = notice_object(record.with_context(lang=lang))
            except Exception:  # logged, never raised: see queue()
                _logger.exception("The %s notice of %s %s could not be rendered",
                                  kind, record._name, record.id)
                outcome.failed.append(record.id)
        group = group.browse(list(figures))
        rendered = self.render(template.sudo().with_context(
            lang=lang, tv_notices=figures, **{OBJECTS_KEY: objects}), group)
        for record in group:
            if record.id not in rendered:
                outcome.failed.append(record.id)
                continue
            try:
                with self.env.cr.savepoint():
                    outcome.mails[record.id] = self.create_mail(
                        _contract_of(record), kind, rendered[record.id])
            except Exception:  # logged, never raised: see queue()
                _logger.exception("The %s notice of %s %s could not be queued",
                                  kind, record._name, record.id)
                outcome.failed.append(record.id)

    def render(self, template, records):
        """{record id: the mail's values} for `records`, in one rendering of
        the template (one compile per field for all of them); when that
        fails, one record at a time, leaving out those that fail."""
        if not records:
            return {}
        try:
            with self.env.cr.savepoint():
                return template.generate_email(records.ids, MAIL_FIELDS)
        except Exception:  # one record's failure must not stop the others
            if len(records) == 1:
                _logger.exception("The notice %r of %s %s could not be rendered",
                                  template.name, records._name, records.id)
                return {}
            _logger.info("A batch of %d notices %r failed to render: one at a time.",
                         len(records), template.name, exc_info=True)
        rendered = {}
        for record in records:
            try:
                with self.env.cr.savepoint():
                    rendered.update(template.generate_email(record.ids, MAIL_FIELDS))
            except Exception:  # logged, never raised
                _logger.exception("The notice %r of %s %s could not be rendered",
                                  template.name, record._name, record.id)
        return rendered

    def create_mail(self, contract, kind, values):
        """The mail.mail of a rendered notice, as mail.template.send_mail
        creates it: in the contract's chatter, to its customer only, from
        the company."""
        values = dict(values, recipient_ids=[(6, 0, contract.partner_id.ids)],
                      model=contract._name, res_id=contract.id,
                      record_name=contract.display_name,
                      author_id=contract.company_id.partner_id.id, tv_notice=kind,
                      tv_company_id=contract.company_id.id,
                      # the chatter (whoever reads the contract reads it) gets a
                      # line; the content (logins, debts) stays in the mail,
                      # which the TV roles of the company read
                      body=_('Customer notice "%(notice)s" sent to %(customer)s.') % {
                          "notice": self.labels()[kind],
                          "customer": contract.partner_id.display_name})
        attachment_ids = values.pop("attachment_ids", [])
        attachments = values.pop("attachments", [])
        if "email_from" in values and not values.get("email_from"):
            values.pop("email_from")
        mail = as_system(self.env["mail.mail"]).create(values)
        for name, data in attachments:  # the template's report, if an ISP adds one
            attachment_ids.append(as_system(self.env["ir.attachment"]).create({
                "name": name, "datas_fname": name, "datas": data, "type": "binary",
                "res_model": "mail.message", "res_id": mail.mail_message_id.id}).id)
        if attachment_ids:
            mail.write({"attachment_ids": [(6, 0, attachment_ids)]})
        return mail

    # -- the figures ------------------------------------------------------------------

    def values(self, contract, lang):
        """The figures of `contract`'s notices, formatted in the customer's
        language: the overdue invoices (number, due date, amount due),
        their total, and the next step of the ladder with its date."""
        env = contract.with_context(lang=lang).env
        today = contract._tv_today()
        invoices = contract._tv_overdue_invoices(today).sorted(
            lambda inv: (inv.date_due, inv.id))
        currency = invoices[:1].currency_id or contract.company_id.currency_id
        policy = contract._tv_delinquency_policy()
        next_step, next_date = self._next_restriction(contract, policy, invoices, today)
        values = {
            "invoices": [{"number": inv.number or inv.name or "",
                          "month": _month(inv.date_invoice or inv.date_due, lang),
                          "date_due": format_date(env, inv.date_due),
                          "amount": format_amount(env, inv.residual, inv.currency_id)}
                         for inv in invoices],
            "total": format_amount(env, sum(invoices.mapped("residual")), currency),
            "tv_blocked": bool(policy) and policy.late_notice_blocks_tv,
            "next_step": next_step or "",
            "next_date": format_date(env, fields.Date.to_string(next_date)) if next_date else "",
        }
        dates = self._ladder_dates(contract, policy, invoices, today)
        values.update({"%s_date" % step: format_date(env, fields.Date.to_string(day))
                       if day else "" for step, day in dates.items()})
        return values

    @staticmethod
    def _ladder_dates(contract, policy, invoices, today):
        """{"reduced", "blocked", "termination"}: the days the policy's
        later steps come for the current debt (None: no such step; all
        None without a policy or a debt); under Anatel's ladder, counted
        from the late notice (services/delinquency_ladder.py)."""
        if not (policy and invoices):
            return {"reduced": None, "blocked": None, "termination": None}
        from .delinquency_ladder import DelinquencyLadder  # it queues notices itself
        days = contract._tv_days_overdue(today)
        oldest = fields.Date.from_string(invoices[0].date_due)
        notified_on = None
        if policy.ladder_preset == "anatel":
            notified_on = DelinquencyLadder(contract.env, today).notified_on(
                contract, policy, days) or today
        return ladder_dates(policy._tv_ladder(), oldest, notified_on)

    @staticmethod
    def _next_restriction(contract, policy, invoices, today):
        """(reduced|blocked, the day it comes) from the policy's ladder, or
        (False, None): nothing overdue, no policy, or nothing ahead."""
        if not (policy and invoices):
            return False, None
        ladder = (policy.late_notice_days, policy.block_days, policy.reduce_days)
        status, threshold = next_escalation(contract._tv_days_overdue(today), *ladder)
        if status == rules.LATE_NOTICE:  # the step after the notice itself
            status, threshold = next_escalation(policy.late_notice_days + 1, *ladder)
        if status not in (rules.REDUCED, rules.BLOCKED):
            return False, None
        oldest = fields.Date.from_string(invoices[0].date_due)
        return status, notices.escalation_date(oldest, threshold)
