# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customer's own requests on the portal (controllers/portal.py): ask
for a suspension on request, end it early, have the access instructions
sent again, release the contract in trust once where the policy offers it.

Each request runs the operator's checked paths (tv.request.suspension's
_tv_request and _tv_end_now, the delinquency ladder's trust release, the TV
user's resend) with the system's rights, on a TV user the controller found
through the portal's single domain, in the name of the customer who asked
(`requester`: the status history, the logs and the chatter name them).

This model is the log of those requests and what makes them safe to repeat
and to limit, stored in the database so that every worker sees it:

- a form carries a one-time token (unique here): a second submission of the
  same form (a double click, a reload) finds the first one's row and
  changes nothing; two at once meet on the unique index, the second waits
  for the first and changes nothing either;
- a customer (commercial partner) may make `portal_requests_per_hour`
  requests an hour (system parameter oletv_integration.portal_requests_per_hour,
  default core.customer_requests.PORTAL_REQUESTS_PER_HOUR): the rows of the
  last hour count, refused ones included (the refusals of the rules are
  logged here, nothing else is written for them). Requests at the same
  instant each count the rows committed before them, so a burst from
  several workers may pass the limit by the number of workers.

The entry point is private (never callable over XML-RPC) and refuses
anyone but the system's own code path: a portal user reaches it only
through the controller. The rows are the system's (services/owned_fields.py,
OWNED_MODELS): TV roles read them, nobody writes them."""
from datetime import timedelta

import psycopg2
from psycopg2.extensions import TransactionRollbackError

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools.misc import format_date, formatLang

from ..core import access_rules as rules
from ..core import addon_rules
from ..core import customer_requests as requests_rules
from ..core import notice_rules as notices
from ..services.company_day import as_date
from ..services.customer_notices import CustomerNotices
from ..services.delinquency_ladder import DelinquencyLadder
from ..services.rpc_arguments import RpcArguments
from ..services.tv_addons import TvAddons
from ..services.tv_roles import as_system, is_system

RATE_PARAM = "oletv_integration.portal_requests_per_hour"
KINDS = [
    (requests_rules.PORTAL_SUSPENSION, "Suspension on request"),
    (requests_rules.PORTAL_SUSPENSION_END, "End of a suspension on request"),
    (requests_rules.PORTAL_RESEND, "Access instructions sent again"),
    (requests_rules.PORTAL_TRUST_RELEASE, "Trust release"),
    (requests_rules.PORTAL_ADDON_ADD, "Add-on added"),
    (requests_rules.PORTAL_ADDON_REMOVE, "Add-on removed"),
]
# the add-on requests -> the add-on rules' action
ADDON_ACTIONS = {requests_rules.PORTAL_ADDON_ADD: addon_rules.ADD,
                 requests_rules.PORTAL_ADDON_REMOVE: addon_rules.REMOVE}


class TvPortalRequest(models.Model):
    _name = "tv.portal.request"
    _description = "Customer Request on the Portal"
    _inherit = ["tv.field.guard"]
    _order = "id desc"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True,
                                 readonly=True, ondelete="cascade")
    user_id = fields.Many2one("res.users", string="Asked by", required=True, readonly=True,
                              ondelete="cascade")
    tv_user_id = fields.Many2one("tv.user", string="TV user", readonly=True,
                                 ondelete="set null")
    contract_id = fields.Many2one("account.analytic.account", required=True, readonly=True,
                                  index=True, ondelete="cascade")
    company_id = fields.Many2one(related="contract_id.company_id", store=True, readonly=True)
    kind = fields.Selection(KINDS, required=True, readonly=True)
    token = fields.Char(readonly=True, copy=False,
                        help="The form's one-time token: the same form sent twice is one "
                             "request.")
    state = fields.Selection([("done", "Done"), ("refused", "Refused")], required=True,
                             readonly=True, default="done")
    message = fields.Char(readonly=True, help="What was done, or why it was refused.")

    _sql_constraints = [
        ("token_uniq", "unique(token)", "A portal form is sent once."),
    ]

    # -- the entry point ----------------------------------------------------------------

    @api.model
    def _tv_portal_submit(self, tv_user, requester, kind, token, values):
        """Make the request `kind` of `requester` (a portal user) about
        `tv_user`, which the caller found through the portal's domain, with
        the form's `values`. Returns (state, message, request row or None):
        'done', 'refused' (the rules' reason: nothing changed, the refusal
        logged), 'repeated' (the form was sent already: the first one's
        row), 'limited' (too many requests, or an expired form: nothing
        written)."""
        self._tv_check_system()
        tv_user.ensure_one()
        if kind not in requests_rules.PORTAL_KINDS:
            raise UserError(_("Unknown request."))
        expired = _("This form has expired: reload the page and try again.")
        if not requests_rules.portal_token_valid(token):
            return "limited", expired, None
        partner = requester.partner_id.commercial_partner_id
        first = self.search([("token", "=", token)], limit=1)
        if first and first.partner_id != partner:  # another's token tells them nothing
            return "limited", expired, None
        if first:  # sent again: the first one's outcome, nothing done again
            return ("repeated" if first.state == "done" else "refused"), first.message, first
        since = fields.Datetime.to_string(fields.Datetime.from_string(fields.Datetime.now())
                                          - timedelta(hours=1))
        recent = self.search_count([("partner_id", "=", partner.id), ("create_date", ">=", since)])
        if requests_rules.over_rate_limit(recent, self._tv_requests_per_hour()):
            return "limited", _("You have made many requests in the last hour: please try "
                                "again later, or contact us."), None
        try:
            with self.env.cr.savepoint():
                row = self.create({
                    "partner_id": partner.id, "user_id": requester.id,
                    "tv_user_id": tv_user.id, "contract_id": tv_user.contract_id.id,
                    "kind": kind, "token": token})
        except (psycopg2.IntegrityError, TransactionRollbackError):
            # the same form, sent at the same time, was made meanwhile (its
            # row is not in this transaction's snapshot: nothing to show)
            return "repeated", _("Your request is being made."), None
        try:
            with self.env.cr.savepoint():
                message, notice = row._tv_do(tv_user, requester, kind, values)
        except (UserError, ValidationError) as refusal:
            row.write({"state": "refused", "message": refusal.name})
            return "refused", refusal.name, row
        row.write({"message": message})
        if notice:
            row._tv_confirm(notice)
        return "done", message, row

    def _tv_check_system(self):
        """Only the system's own code path (the portal's controller, after
        finding the TV user through its domain) makes requests."""
        if not is_system(self.env):
            raise AccessError(_("The customer's requests are made on the customer portal "
                                "only."))

    def _tv_requests_per_hour(self):
        value = self.env["ir.config_parameter"].sudo().get_param(RATE_PARAM)
        try:
            return int(value) if value not in (None, False, "") \
                else requests_rules.PORTAL_REQUESTS_PER_HOUR
        except ValueError:
            return requests_rules.PORTAL_REQUESTS_PER_HOUR

    # -- each request: the operator's checked path ------------------------------------

    def _tv_do(self, tv_user, requester, kind, values):
        """Run the request; (what was done, in the requester's language;
        the confirmation notice's summary key or None), or a UserError."""
        contract = tv_user.contract_id
        today = contract._tv_today()
        if kind == requests_rules.PORTAL_SUSPENSION:
            check = RpcArguments(self.env)
            date_from = check.date(values.get("date_from"), _("First day")) \
                if values.get("date_from") else None
            date_to = check.date(values.get("date_to"), _("Last day")) \
                if values.get("date_to") else None
            suspension = self.env["tv.request.suspension"]._tv_request(
                contract, date_from, date_to, _("Asked on the customer portal"), today,
                requester=requester)
            return self._tv_summary(kind, suspension), ("suspension", suspension)
        if kind == requests_rules.PORTAL_SUSPENSION_END:
            suspension = values["suspension"]  # one of the contract's: the controller's check
            if suspension.contract_id != contract:
                raise AccessError(_("This suspension is not this contract's."))
            suspension._tv_end_now(requester)
            return self._tv_summary(kind, suspension), ("suspension_end", suspension)
        if kind == requests_rules.PORTAL_RESEND:
            tv_user._tv_resend_access_instructions()
            as_system(contract).message_post(body=_(
                "The customer asked on the portal for the access instructions of %(login)s "
                "again: they were sent.") % {"login": tv_user.login},
                author_id=requester.partner_id.id)
            # the instructions' own mail is the confirmation
            return self._tv_summary(kind, tv_user), None
        if kind in ADDON_ACTIONS:
            return self._tv_addon(tv_user, requester, kind, values["addon"], today)
        return self._tv_trust_release(contract, requester, today)

    def _tv_addon(self, tv_user, requester, kind, addon, today):
        """Add or remove the add-on `addon` (the controller's: one offered
        to, or held by, this TV user) through the operator's path
        (services/tv_addons.py: its rules, its pro rata, the sync)."""
        if kind == requests_rules.PORTAL_ADDON_ADD:
            refusal = self._tv_addon_add_refusal(tv_user.contract_id)
            if refusal:
                raise UserError(refusal)
        addons = TvAddons(as_system(tv_user.contract_id), today)
        request = addons.add if kind == requests_rules.PORTAL_ADDON_ADD else addons.remove
        preview = request(tv_user, addon, requester)[1]
        record = (addon, preview, tv_user.contract_id)
        return self._tv_summary(kind, record), ("addon", record)

    @api.model
    def _tv_addon_add_refusal(self, contract):
        """Why the customer may not add an add-on on the portal now, or None
        (core/customer_requests.portal_may_add_addons)."""
        if requests_rules.portal_may_add_addons(contract.contract_status):
            return None
        return _("Add-ons can be added here while your contract is up to date: please "
                 "contact us.")

    def _tv_trust_release(self, contract, requester, today):
        code = self._tv_trust_refusal(contract, today)
        if code == requests_rules.TRUST_NOT_OFFERED:
            raise UserError(_("Your provider does not offer the trust release here: please "
                              "contact us."))
        if code == requests_rules.TRUST_NOT_DELINQUENT:
            raise UserError(_("There is nothing to release: your TV is not suspended for "
                              "overdue invoices."))
        if code == requests_rules.TRUST_ALREADY_USED:
            raise UserError(_("The trust release was already used for these overdue "
                              "invoices: pay them to get your TV back."))
        DelinquencyLadder(self.env, today).trust_release(contract, None, requester=requester)
        return self._tv_summary(requests_rules.PORTAL_TRUST_RELEASE, contract), \
            ("trust_release", contract)

    @api.model
    def _tv_trust_refusal(self, contract, today):
        """Why the customer may not release `contract` in trust on the portal
        today (a code of core.customer_requests), or None. What they may
        release: a contract whose TV the policy blocked or reduced for
        overdue invoices, never a block by the provider."""
        policy = contract._tv_delinquency_policy()
        dues = [as_date(invoice.date_due) for invoice in contract._tv_overdue_invoices(today)]
        releasable = contract.contract_status in rules.RELEASABLE_STATUSES \
            and contract.tv_access != rules.ACCESS_ALLOWED \
            and not (contract.contract_status == rules.BLOCKED
                     and contract.block_reason == "manual")
        return requests_rules.check_portal_trust_release(
            bool(policy and policy.portal_trust_release), releasable,
            min(dues) if dues else None,
            [as_date(release.date) for release in contract.sudo().trust_release_ids])

    # -- what the customer reads --------------------------------------------------------

    def _tv_summary(self, kind, record):
        """What was done, in this environment's language (the page's, or
        the customer's for the notice)."""
        def day(value):
            return format_date(self.env, value) if value else ""
        if kind == requests_rules.PORTAL_SUSPENSION:
            return _("Suspension of your TV from %(date_from)s to %(date_to)s (%(days)d "
                     "days).") % {"date_from": day(record.date_from),
                                  "date_to": day(record.date_to), "days": record.days}
        if kind == requests_rules.PORTAL_SUSPENSION_END:
            if record.state == "cancelled":
                return _("Your suspension from %(date_from)s to %(date_to)s is cancelled.") % {
                    "date_from": day(record.date_from), "date_to": day(record.date_to)}
            return _("Your suspension ended early: your TV is back.")
        if kind == requests_rules.PORTAL_RESEND:
            return _("The access instructions of %(login)s were sent to your e-mail.") % {
                "login": record.login}
        if kind in ADDON_ACTIONS:
            return self._tv_addon_summary(kind, *record)
        return _("Your TV is released in trust until %(until)s: pay the overdue invoices "
                 "before that day to keep it.") % {"until": day(record.trust_release_until)}

    def _tv_addon_summary(self, kind, addon, preview, contract):
        currency = contract.company_id.currency_id
        values = {"addon": addon.with_context(lang=self.env.lang).display_name,
                  "date": format_date(self.env, preview["date"]),
                  "price": formatLang(self.env, preview["price"], currency_obj=currency),
                  "amount": formatLang(self.env, abs(preview["amount"]), currency_obj=currency),
                  "document_date": format_date(self.env, preview["document_date"])}
        if kind == requests_rules.PORTAL_ADDON_ADD:
            return _("Add-on %(addon)s added from %(date)s, at %(price)s a period: "
                     "%(amount)s for this period's days, invoiced on %(document_date)s.") % values
        if preview["amount"] < 0:
            return _("Add-on %(addon)s removed from %(date)s: %(amount)s credited for the days "
                     "already invoiced.") % values
        return _("Add-on %(addon)s removed from %(date)s.") % values

    def _tv_confirm(self, notice):
        """The customer's notice confirming the request, in their language
        (never undoes the request: CustomerNotices.queue does not raise)."""
        what, record = notice
        contract = self.contract_id
        lang = contract.partner_id.lang or "en_US"
        kind = {"suspension": requests_rules.PORTAL_SUSPENSION,
                "suspension_end": requests_rules.PORTAL_SUSPENSION_END,
                "trust_release": requests_rules.PORTAL_TRUST_RELEASE,
                "addon": self.kind}[what]
        if what != "addon":
            record = record.with_context(lang=lang)
        summary = self.with_context(lang=lang)._tv_summary(kind, record)
        system = as_system(contract)
        CustomerNotices(system.env).queue(notices.REQUEST, system,
                                          extra={contract.id: {"request": summary}})
