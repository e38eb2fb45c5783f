# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The contract (OCA contract 11.0's account.analytic.account) as the TV
integration extends it, in one place:

- its status, which OCA contract 11.0 lacks, driven by buttons and by the
  delinquency ladder through `_set_contract_status`; automated actions
  (data/base_automation.xml) turn its transitions into TV access changes
  (tv.user's `_tv_follow_contract_access`); the rules live in core/access_rules.py;
- the delinquency entry points: the daily run, the trust release and the
  confirmation of a termination proposal (the ladder's work is
  services/delinquency_ladder.py); the contract's own figures (overdue
  invoices, its company's day);
- the customer's requests: suspension on request (tv_request_suspension.py),
  plan change (tv_plan_change.py) and add-ons (services/tv_addons.py), and
  their effect on invoicing;
- the customer notices' job (the rendering is services/customer_notices.py);
- activation from the sales flow (services/contract_activation.py);
- the fields the workflow owns (services/owned_fields.py).

One model, one file (OCA's rule): the sections below follow that list; the
work that is not the contract's own behaviour lives in services/."""
from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.addons.queue_job.job import job
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools.misc import format_date

from ..core import access_rules as rules
from ..core import channels
from ..core import customer_requests as requests_rules
from ..services.activities import open_activities_domain
from ..services.company_day import as_date, company_day, company_today
from ..services.contract_activation import ContractActivation
from ..services.contract_billing import ContractBilling, ProRata
from ..services.customer_notices import CustomerNotices
from ..services.delinquency_ladder import TERMINATION_ACTIVITY, DelinquencyLadder
from ..services.row_locks import RowLocks
from ..services.rpc_arguments import RpcArguments
from ..services.settlement import Settlement
from ..services.tv_addons import TvAddons
from ..services.tv_roles import as_system, check_request_operator, check_tv_operator, is_system

CONTRACT_STATUS_SELECTION = [
    (rules.AWAITING_SIGNATURE, "Awaiting signature"),
    (rules.ACTIVE, "Active"),
    (rules.LATE_NOTICE, "Late notice"),
    (rules.REDUCED, "Reduced access"),
    (rules.BLOCKED, "Blocked"),
    (rules.SUSPENDED, "Suspended on request"),
    (rules.DEACTIVATED, "Deactivated"),
]
BLOCK_REASON_SELECTION = [("manual", "Manual"), ("automatic", "Automatic")]
# OCA contract's fields that say what and when a contract invoices
INVOICING_FIELDS = ("active", "date_start", "date_end", "recurring_invoices",
                    "recurring_next_date", "recurring_rule_type", "recurring_interval",
                    "recurring_invoicing_type", "recurring_invoice_line_ids", "journal_id",
                    "pricelist_id")


class AccountAnalyticAccount(models.Model):
    _name = "account.analytic.account"
    # the termination proposal is an activity shown on the contract
    _inherit = ["account.analytic.account", "mail.activity.mixin", "tv.field.guard"]

    contract_status = fields.Selection(
        CONTRACT_STATUS_SELECTION, string="Contract status", required=True,
        default=rules.ACTIVE, copy=False, index=True, track_visibility="onchange")
    block_reason = fields.Selection(
        BLOCK_REASON_SELECTION, copy=False,
        track_visibility="onchange",
        help="Manual blocks are never lifted by a payment.")
    tv_access = fields.Selection(
        rules.ACCESS_SELECTION, string="TV access", compute="_compute_tv_access", store=True,
        help="The TV access the contract's status gives its TV users (access_rules.py); "
             "the automated actions block or release the TV users when it changes.")
    # the status buttons shown (views/contract_views.xml), from access_rules' transitions
    tv_can_activate = fields.Boolean(string="Can activate", compute="_compute_tv_operator_actions")
    tv_can_release = fields.Boolean(string="Can release", compute="_compute_tv_operator_actions")
    tv_can_late_notice = fields.Boolean(string="Can send a late notice",
                                        compute="_compute_tv_operator_actions")
    tv_can_block = fields.Boolean(string="Can block", compute="_compute_tv_operator_actions")
    tv_can_awaiting_signature = fields.Boolean(string="Can await signature",
                                               compute="_compute_tv_operator_actions")
    tv_can_deactivate = fields.Boolean(string="Can deactivate",
                                       compute="_compute_tv_operator_actions")
    tv_can_confirm_termination = fields.Boolean(
        string="Can confirm the termination", compute="_compute_tv_operator_actions")
    tv_can_suspend_on_request = fields.Boolean(
        string="Can suspend on request", compute="_compute_tv_operator_actions")
    tv_can_change_plan = fields.Boolean(
        string="Can change plan", compute="_compute_tv_operator_actions")
    tv_can_archive = fields.Boolean(string="Can archive", compute="_compute_tv_operator_actions")
    tv_releasable = fields.Boolean(
        string="On the delinquency ladder", compute="_compute_tv_operator_actions",
        search="_search_tv_releasable",
        help="Under a late notice, reduced or blocked: what Release lifts.")
    tv_user_ids = fields.One2many("tv.user", "contract_id", string="TV users")
    tv_user_count = fields.Integer(compute="_compute_tv_user_count")
    # OCA contract shows its interval and unit side by side ("1Month(s)"): one phrase
    tv_recurrence = fields.Char(
        string="Invoiced every", compute="_compute_tv_recurrence",
        help="How often the contract invoices: its interval and unit in words.")
    tv_product_ids = fields.Many2many(
        "product.product", compute="_compute_tv_product_ids",
        string="TV products", help="The plans of the contract's TV/Streaming lines (its "
                                   "add-ons' lines are their TV users').")

    trust_release_until = fields.Date(
        string="Trust release until", readonly=True, copy=False, track_visibility="onchange",
        help="Released in trust up to this day: the delinquency policy leaves the contract "
             "alone until then, and blocks it again afterwards if invoices are still overdue.")
    tv_suspended_until = fields.Date(
        string="Suspended on request until", readonly=True, copy=False,
        track_visibility="onchange",
        help="The last day of the customer's running suspension on request: the TV is "
             "blocked until then and released automatically afterwards.")
    tv_status_change_ids = fields.One2many("tv.contract.status.change", "contract_id",
                                           string="Status history", readonly=True)
    tv_status_banner = fields.Char(
        string="Why the TV is not as usual", compute="_compute_tv_status_banner",
        help="Shown at the top of the contract: why and since when its TV is blocked, "
             "reduced, under a late notice, suspended, or released in trust.")
    trust_release_ids = fields.One2many("tv.trust.release", "contract_id",
                                        string="Trust releases", readonly=True)
    trust_release_count = fields.Integer(string="Trust releases used",
                                         compute="_compute_trust_release_count")
    overdue_invoice_count = fields.Integer(string="Overdue invoices",
                                           compute="_compute_overdue_invoice_count")

    tv_holder_since = fields.Datetime(
        string="Customer since", readonly=True, copy=False,
        help="When the contract's current customer took it over (empty: since the start). "
             "Invoices issued before are the previous customer's: they do not count as this "
             "customer's debt and are not shown to them.")
    tv_sale_order_id = fields.Many2one("sale.order", string="Sale order", readonly=True,
                                       copy=False, index=True,
                                       help="The sale order this contract was created from.")
    tv_termination_proposed_on = fields.Date(
        string="Termination proposed on", readonly=True, copy=False,
        track_visibility="onchange",
        help="The delinquency policy proposed the termination of this blocked contract on "
             "this day (an activity for its responsible). Confirm termination deactivates "
             "the contract and removes its TV users from the platform; a payment withdraws "
             "the proposal.")
    tv_suspension_ids = fields.One2many("tv.request.suspension", "contract_id",
                                        string="Suspensions on request", readonly=True)
    tv_plan_change_ids = fields.One2many("tv.plan.change", "contract_id",
                                         string="Plan changes", readonly=True)
    tv_billing_stopped_on = fields.Date(
        string="Invoicing stopped on", readonly=True, copy=False,
        help="The contract was deactivated: its invoicing ended on this day (the end "
             "date), its last period settled. A reactivation starts it again.")

    # -- creation and change of holder ----------------------------------------------

    @api.model
    def create(self, vals):
        template_id = vals.get("contract_template_id")
        if template_id and not vals.get("recurring_invoice_line_ids"):
            # Created without the form (XML-RPC, code): do what the form's
            # template onchange does.
            vals = ContractActivation(self.env).values_from_template(
                self.env["account.analytic.contract"].browse(template_id), vals)
        contract = super().create(vals)
        if template_id:
            ContractActivation(self.env).propose_users(contract)
        return contract

    @api.multi
    def write(self, vals):
        self._tv_check_invoicing_fields(vals)
        if "partner_id" not in vals:
            return super().write(vals)
        self._tv_check_holder_change(vals["partner_id"])
        new_holder = self.env["res.partner"].browse(vals["partner_id"]).commercial_partner_id
        changing = self.filtered(lambda c: c.partner_id.commercial_partner_id != new_holder)
        result = super().write(vals)
        if changing:
            as_system(changing).write({"tv_holder_since": fields.Datetime.now()})
        return result

    def _tv_check_invoicing_fields(self, vals):
        """What and when a TV contract invoices (its dates and recurrence)
        decides the invoices, credit notes and pro rata the system makes
        (services/contract_billing.py, services/settlement.py): billing
        users only change them."""
        if not set(INVOICING_FIELDS) & set(vals) or is_system(self.env) or \
                self.env.user.has_group("account.group_account_invoice"):
            return
        if self.sudo().filtered(lambda c: c.tv_user_ids or c.tv_product_ids):
            raise AccessError(_("Only billing users can change the dates or the invoicing of "
                                "a TV contract. Nothing was changed."))

    def _tv_check_holder_change(self, partner_id):
        """The debt stays with its customer (invoices count for the contract's
        current customer only): a TV contract with open invoices, due or not,
        changes hands through billing users only."""
        if is_system(self.env) or self.env.user.has_group("account.group_account_invoice"):
            return
        new_holder = self.env["res.partner"].browse(partner_id).commercial_partner_id
        changing = self.sudo().filtered(lambda c: c.partner_id.commercial_partner_id != new_holder
                                        and (c.tv_user_ids or c.tv_product_ids))
        if changing and changing._tv_open_invoices():
            raise AccessError(_("Only billing users can change the customer of a TV contract "
                                "with open invoices. Nothing was changed."))

    # -- computed fields and checks ---------------------------------------------------

    @api.constrains("active")
    def _check_tv_archive(self):
        for contract in self.filtered(lambda c: not c.active):
            refusal = contract._tv_why_not_archivable()
            if refusal:
                raise ValidationError(refusal)

    def _tv_may_archive(self):
        """Whether the user may archive contracts: write access, and billing
        for a TV contract (INVOICING_FIELDS)."""
        billing = is_system(self.env) or self.env.user.has_group("account.group_account_invoice")
        return self.check_access_rights("write", raise_exception=False) and (
            billing or not (self.sudo().tv_user_ids or self.sudo().tv_product_ids))

    def _tv_why_not_archivable(self):
        """Why this contract cannot be archived (a text), or None: archived,
        it would leave the ladder's and the suspensions' daily runs."""
        self.ensure_one()
        if self.contract_status not in rules.NOT_ARCHIVABLE_STATUSES or not (
                self.sudo().tv_user_ids or self.sudo().tv_product_ids):
            return None
        return _('The contract %(contract)s is "%(status)s": its TV is held back, and the '
                 'delinquency ladder or the suspension follows it every day. Release or '
                 'deactivate it before archiving it.') % {
            "contract": self.display_name, "status": self._tv_status_label()}

    def _tv_status_label(self):
        """The contract's status in the user's language."""
        self.ensure_one()
        return dict(self._fields["contract_status"]._description_selection(self.env))[
            self.contract_status]

    @api.constrains("company_id")
    def _check_tv_company(self):
        """A TV contract keeps a company (account_analytic_invoice_line.py),
        the one of its TV users' integration: moved to another company, its
        TV users would sync with the first company's platform account under
        the second's policy."""
        for contract in self:
            if not contract.company_id and contract.recurring_invoice_line_ids.filtered(
                    lambda line: line.line_type == "tv"):
                raise ValidationError(_('The contract "%s" has TV lines: choose its company.')
                                      % contract.display_name)
        self.sudo().mapped("tv_user_ids")._check_integration_company()

    @api.depends("contract_status", "company_id")
    def _compute_tv_access(self):
        """From the status, and the company's delinquency policy for a late
        notice (it blocks the TV, or is a notice only)."""
        policies = self.env["tv.delinquency.policy"]
        late_notice_blocks = {}
        for contract in self:
            company = contract.company_id
            if contract.contract_status == rules.LATE_NOTICE \
                    and company.id not in late_notice_blocks:
                late_notice_blocks[company.id] = policies._late_notice_blocks(company)
            contract.tv_access = rules.desired_access(
                contract.contract_status, late_notice_blocks.get(company.id, True))

    @api.depends("contract_status", "tv_termination_proposed_on", "trust_release_until")
    def _compute_tv_operator_actions(self):
        for contract in self:
            status = contract.contract_status
            # nothing acts on a contract not saved yet (a new record's id is falsy)
            actions = rules.operator_actions(status) if contract.id else ()
            for action in rules.OPERATOR_ACTIONS:
                contract["tv_can_%s" % action] = action in actions
            contract.tv_releasable = status in rules.RELEASABLE_STATUSES
            # the buttons show where their methods' own checks let them pass
            saved = bool(contract.id)
            contract.tv_can_confirm_termination = saved and not contract._tv_why_not_terminable()
            contract.tv_can_suspend_on_request = saved and not contract._tv_why_not_suspendable(
                contract._tv_today())
            contract.tv_can_change_plan = saved and not contract._tv_why_not_plan_change()
            contract.tv_can_archive = saved and contract._tv_may_archive() \
                and not contract._tv_why_not_archivable()

    @api.depends("contract_status", "block_reason", "tv_status_change_ids",
                 "trust_release_until", "tv_suspended_until")
    def _compute_tv_status_banner(self):
        for contract in self:
            contract.tv_status_banner = contract._tv_status_banner()

    def _tv_status_banner(self):
        status = self.contract_status
        if status == rules.ACTIVE and self.trust_release_until:
            return _("Released in trust until %s: invoices are overdue.") \
                % format_date(self.env, self.trust_release_until)
        texts = {
            rules.LATE_NOTICE: _("Late notice since %(since)s: invoices are overdue."),
            rules.REDUCED: _("Reduced access since %(since)s: invoices are overdue."),
            rules.BLOCKED: _("Blocked by the delinquency policy since %(since)s: invoices are "
                             "overdue.") if self.block_reason == "automatic" else
            _("Blocked by %(user)s since %(since)s."),
            rules.SUSPENDED: _("Suspended on the customer's request since %(since)s, until "
                               "%(until)s."),
        }
        if status not in texts or not self.id:
            return False
        change = self.tv_status_change_ids.filtered(lambda row: row.new_status == status)[:1]
        since = company_day(self.company_id, self.env["res.users"].sudo().browse(SUPERUSER_ID),
                            change.date) if change else None
        return texts[status] % {
            "since": format_date(self.env, fields.Date.to_string(since)) if since else "?",
            "user": change.user_id.name or "?",
            "until": format_date(self.env, self.tv_suspended_until) if self.tv_suspended_until
            else "?"}

    @api.model
    def _search_tv_releasable(self, operator, value):
        values = {bool(item) for item in value} if isinstance(value, (list, tuple)) \
            else {bool(value)}
        wanted = {"=": values, "in": values, "!=": {True, False} - values,
                  "not in": {True, False} - values}.get(operator)
        if wanted is None:
            raise UserError(_("This filter takes =, !=, in or not in."))
        if len(wanted) != 1:
            return [] if wanted else [("id", "=", 0)]
        return [("contract_status", "in" if True in wanted else "not in",
                 sorted(rules.RELEASABLE_STATUSES))]

    @api.depends("tv_user_ids")
    def _compute_tv_user_count(self):
        for contract in self:
            contract.tv_user_count = len(contract.tv_user_ids)

    @api.depends("recurring_interval", "recurring_rule_type")
    def _compute_tv_recurrence(self):
        units = {  # (one, several): "%d" is the interval
            "daily": (_("day"), _("%d days")),
            "weekly": (_("week"), _("%d weeks")),
            "monthly": (_("month"), _("%d months")),
            "monthlylastday": (_("month, on its last day"), _("%d months, on the last day")),
            "yearly": (_("year"), _("%d years")),
        }
        for contract in self:
            one, several = units.get(contract.recurring_rule_type, ("", ""))
            interval = contract.recurring_interval or 0
            contract.tv_recurrence = (one if interval == 1 else several % interval
                                      if several and interval > 1 else "")

    @api.depends("recurring_invoice_line_ids.product_id", "recurring_invoice_line_ids.line_type",
                 "recurring_invoice_line_ids.tv_addon_from")
    def _compute_tv_product_ids(self):
        for contract in self:
            contract.tv_product_ids = contract.recurring_invoice_line_ids.filtered(
                lambda line: line.line_type == "tv" and not line.tv_addon_from).mapped(
                    "product_id")

    @api.depends("trust_release_ids")
    def _compute_trust_release_count(self):
        for contract in self:
            contract.trust_release_count = len(contract.trust_release_ids)

    def _compute_overdue_invoice_count(self):
        today = self._tv_today()
        for contract in self:
            contract.overdue_invoice_count = len(contract._tv_overdue_invoices(today))

    # -- the contract's figures --------------------------------------------------------

    def _tv_today(self):
        """The contract company's today (company_today): the evaluation day
        is never taken from the context (an RPC caller controls it); tests
        pass dates to the private methods instead."""
        return self._tv_company_today(self[:1].company_id or self.env.user.company_id)

    @api.model
    def _tv_company_today(self, company):
        return company_today(company, self.env["res.users"].sudo().browse(SUPERUSER_ID))

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
        dates = [as_date(due) for due in self._tv_overdue_invoices(today).mapped("date_due")]
        return max([(today - due).days for due in dates] or [0])

    def _tv_delinquency_policy(self):
        self.ensure_one()
        return self.env["tv.delinquency.policy"].sudo()._for_company(self.company_id)

    def _tv_trusted(self, today):
        until = as_date(self.trust_release_until)
        return bool(until and until >= today)

    def _tv_end_trust_release(self, outcome):
        """Close the running trust release, if any, with its outcome."""
        running = self.mapped("trust_release_ids").filtered(lambda r: r.outcome == "running")
        as_system(running).write({"outcome": outcome})
        with_trust = self.filtered("trust_release_until")
        if with_trust:
            with_trust._tv_write_owned({"trust_release_until": False})

    # -- the status ------------------------------------------------------------------

    def _tv_write_owned(self, vals, track=True, acting_user=None):
        """Write fields the workflow owns (contract_status, block_reason,
        trust_release_until; see owned_fields.py): only the addon's own
        methods call it, after their checks. The chatter still names the
        user who asked (`acting_user`, default the caller), not the
        superuser who wrote; track=False: no chatter tracking (a bulk status
        change, in the status history instead)."""
        context = {"tv_tracking_author_id": (acting_user or self.env.user).partner_id.id}
        if not track:
            context["mail_notrack"] = True
        return as_system(self, **context).write(vals)

    @api.multi
    def message_post(self, **kwargs):
        author = self.env.context.get("tv_tracking_author_id")
        if author and is_system(self.env) and not kwargs.get("author_id"):
            kwargs["author_id"] = author
        return super().message_post(**kwargs)

    def _tv_operator_set_status(self, new_status, block_reason=False):
        """The status buttons: a TV operator who can read the contracts gets
        exactly this change (and the TV access it implies), nothing more. A
        suspension on request ends through its own End now (a deactivation
        ends its log today)."""
        check_tv_operator(self)
        suspended = self.filtered(lambda c: c.contract_status == rules.SUSPENDED)
        if suspended and new_status != rules.DEACTIVATED:
            raise UserError(_(
                "%(contract)s is suspended on the customer's request until %(until)s: end the "
                "suspension (Suspensions on request tab, End now) to release it.")
                % {"contract": suspended[0].display_name,
                   "until": format_date(self.env, suspended[0].tv_suspended_until,
                                        self.env.context.get("lang") or self.env.user.lang)})
        self._set_contract_status(new_status, block_reason=block_reason)
        if suspended:
            today = self._tv_today()
            for suspension in suspended.mapped("tv_suspension_ids").filtered(
                    lambda s: s.state == "running"):
                suspension._tv_daily_end(today)
        return True

    def _set_contract_status(self, new_status, block_reason=False, notice_batch=None,
                             acting_user=None):
        """The one place every status change goes through, in this order:
        the transitions are checked (access_rules); the contracts' TV users'
        rows are locked (a job storing them is waited for); the status is
        written, and the automated actions (data/base_automation.xml) have
        the live TV users of the contracts whose TV access changed marked
        pending and their integrations woken (tv.user's
        _tv_follow_contract_access); the change is recorded in the status
        history; a termination proposal is withdrawn when the contract
        leaves the block; the invoicing follows (_tv_follow_billing: a
        deactivation ends it, a reactivation resumes it, the end of a block
        settles its days with a credit note or invoice);
        the customer notices are queued, or collected in `notice_batch` (a
        NoticeBatch: the daily run queues them once at its end). The chatter
        and the history name `acting_user` (default: the caller; the payer
        of a release on payment made with the system's rights).

        Several contracts at once (the contract list's actions) are written
        without chatter tracking (but those a follower of internal notes
        watches): their changes are in the status history."""
        self._tv_check_transitions(new_status)
        previous = [(contract.id, contract.contract_status, contract.company_id)
                    for contract in self]
        if self.ids:
            RowLocks(self.env).lock_for_request("contract_id IN %s", (tuple(self.ids),))
        vals = {"contract_status": new_status, "block_reason": block_reason}
        untracked = self._tv_untracked_in_bulk()
        for contracts, track in ((self - untracked, True), (untracked, False)):
            if contracts:
                contracts._tv_write_owned(vals, track=track, acting_user=acting_user)
        self.env["tv.contract.status.change"]._record(
            [(contract_id, status, company.id) for contract_id, status, company in previous],
            new_status, block_reason, bulk=untracked, user=acting_user or self.env.user)
        if new_status != rules.BLOCKED:
            self.filtered("tv_termination_proposed_on")._tv_withdraw_termination()
        self._tv_follow_billing(previous, new_status)
        CustomerNotices(self.env).enqueue_status_notices(previous, new_status, notice_batch)
        return True

    def _tv_follow_billing(self, previous, new_status):
        """A TV contract's deactivation ends its invoicing on the contract's
        day, a reactivation starts it again (services/contract_billing.py);
        the end of a block settles its days (services/settlement.py)."""
        was_blocked = {contract_id for contract_id, status, _company in previous
                       if status == rules.BLOCKED}
        if new_status not in (rules.BLOCKED, rules.DEACTIVATED) and was_blocked:
            self.browse(was_blocked)._tv_settle_block()
        was_deactivated = {contract_id for contract_id, status, _company in previous
                           if status == rules.DEACTIVATED}
        if new_status == rules.DEACTIVATED:
            changed = self.filtered(lambda contract: contract.id not in was_deactivated)
        else:
            changed = self.filtered(lambda contract: contract.id in was_deactivated)
        # the TV roles act on TV contracts' invoicing only
        changed = changed.sudo().filtered(lambda contract: contract.tv_user_ids or any(
            line.line_type == "tv" for line in contract.recurring_invoice_line_ids))
        if not changed:
            return
        contracts = as_system(changed, tv_tracking_author_id=self.env.user.partner_id.id)
        billing = ContractBilling(contracts.env)
        for contract in contracts:
            if new_status == rules.DEACTIVATED:
                billing.stop(contract, contract._tv_today())
            else:
                billing.resume(contract, contract._tv_today())

    def _tv_settle_block(self):
        """A block lifted: its days in periods invoiced already are credited,
        unless the policy charges them."""
        for contract in as_system(self):
            if contract._tv_delinquency_policy().charge_blocked_days:
                continue
            today = contract._tv_today()
            Settlement(contract, today, contract, _(
                "Block lifted on %s: the days blocked are not charged.")
                % fields.Date.to_string(today)).run()

    def _tv_untracked_in_bulk(self):
        """The contracts of a bulk change written without chatter tracking:
        all of them but those with a follower of internal notes (whom Odoo's
        tracking message notifies). A single contract is always tracked."""
        if len(self) < 2:
            return self.browse()
        watchers = self.env["mail.followers"].sudo().search([
            ("res_model", "=", self._name), ("res_id", "in", self.ids),
            ("subtype_ids", "=", self.env.ref("mail.mt_note").id)])
        watched = set(watchers.mapped("res_id"))
        return self.filtered(lambda contract: contract.id not in watched)

    def _tv_check_transitions(self, new_status):
        labels = dict(self._fields["contract_status"]._description_selection(self.env))
        for contract in self:
            if not rules.can_transition(contract.contract_status, new_status):
                raise UserError(_(
                    'The contract %(contract)s is "%(status)s" and cannot become '
                    '"%(new_status)s".') % {
                        "contract": contract.display_name,
                        "status": labels[contract.contract_status],
                        "new_status": labels[new_status]})

    @api.multi
    def action_contract_activate(self):
        return self._tv_operator_set_status(rules.ACTIVE)

    @api.multi
    def action_contract_awaiting_signature(self):
        return self._tv_operator_set_status(rules.AWAITING_SIGNATURE)

    @api.multi
    def action_contract_late_notice(self):
        return self._tv_operator_set_status(rules.LATE_NOTICE)

    @api.multi
    def action_contract_block(self):
        return self._tv_operator_set_status(rules.BLOCKED, block_reason="manual")

    @api.multi
    def action_contract_release(self):
        return self._tv_operator_set_status(rules.ACTIVE)

    @api.multi
    def action_contract_deactivate(self):
        return self._tv_operator_set_status(rules.DEACTIVATED)

    def _tv_termination_activities(self):
        """The open termination proposals (one marked done is history)."""
        activities = as_system(self.env["mail.activity"])
        return activities.search([
            ("res_model", "=", self._name), ("res_id", "in", self.ids),
            ("activity_type_id", "=", self.env.ref(TERMINATION_ACTIVITY).id),
        ] + open_activities_domain(activities))

    def _tv_withdraw_termination(self):
        """The contract left the block (paid, released): no termination."""
        self._tv_termination_activities().unlink()
        self._tv_write_owned({"tv_termination_proposed_on": False})
        self._tv_post(_("Termination proposal withdrawn: the contract is no longer blocked."))

    def _tv_post(self, body, author=None):
        """A chatter note on each contract, written by the system in the name
        of the user who acted (a TV operator cannot write on contracts):
        `author` (a user), default the caller."""
        author = (author or self.env.user).partner_id.id
        for contract in as_system(self, tv_tracking_author_id=author):
            contract.message_post(body=body)

    @api.multi
    def action_tv_confirm_termination(self):
        """Confirm the policy's termination proposal: the contract is
        deactivated and its TV users removed from the platform. TV
        operators only; refused (nothing changed) unless every contract has
        a proposal and is still blocked."""
        check_tv_operator(self)
        for contract in self:
            refusal = contract._tv_why_not_terminable()
            if refusal:
                raise UserError(refusal)
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

    def _tv_why_not_terminable(self):
        """Why Confirm termination is refused here (a text), or None."""
        self.ensure_one()
        if not self.tv_termination_proposed_on:
            return _("No termination was proposed for %s: only a contract the delinquency "
                     "policy proposed for termination can be terminated here (Deactivate "
                     "otherwise).") % self.display_name
        if self.contract_status != rules.BLOCKED:
            return _("%s is no longer blocked: its termination proposal does not apply any "
                     "more.") % self.display_name
        return None

    # -- delinquency ---------------------------------------------------------------

    @api.model
    def _cron_tv_delinquency(self, today=None):
        """Daily (scheduled action only: private, so not callable over RPC):
        apply each company's delinquency policy. `today` (a date or
        'YYYY-MM-DD') lets tests evaluate another day."""
        DelinquencyLadder(self.env, as_date(today) if today else None).run()
        return True

    @api.multi
    def action_tv_trust_release(self, days=None):
        """Release blocked, reduced or late notice contracts in trust for
        `days` days (default: the policy's), within the policy's limit, from
        today. TV operators only."""
        check_tv_operator(self)
        days = RpcArguments(self.env).integer(days, _("Days"), minimum=1, maximum=366,
                                              optional=True)
        DelinquencyLadder(self.env, self._tv_today()).trust_release(self, days)
        return True

    # -- suspension on request ------------------------------------------------

    @api.multi
    def action_tv_suspend_on_request(self, date_from, date_to, reason=None):
        """Suspend the TV of these contracts on the customer's request from
        date_from to date_to ('YYYY-MM-DD', both included). TV operators
        only; refused with the reason (nothing written) when the rules of
        customer_requests.py or the contract's status do not allow it."""
        check_request_operator(self)
        check = RpcArguments(self.env)
        date_from = check.date(date_from, _("First day"))
        date_to = check.date(date_to, _("Last day"))
        reason = check.text(reason, _("Reason"))
        today = self._tv_today()
        suspensions = self.env["tv.request.suspension"]
        for contract in self:
            suspensions |= suspensions._tv_request(contract, date_from, date_to, reason, today)
        return suspensions.ids

    def _tv_why_not_suspendable(self, today):
        """Why the contract itself cannot be suspended on request today (a
        text), or None; the policy's rule is the suspension's to check."""
        self.ensure_one()
        if self.contract_status != rules.ACTIVE:
            return _('Only an active contract can be suspended on request: %(contract)s is '
                     '"%(status)s".') % {"contract": self.display_name,
                                         "status": self._tv_status_label()}
        if self._tv_trusted(today):
            return _("%(contract)s is released in trust until %(until)s (overdue invoices): "
                     "it cannot be suspended on request before they are paid.") % {
                "contract": self.display_name,
                "until": format_date(self.env, self.trust_release_until)}
        return None

    def _tv_suspension_allowance(self, first_day=None):
        """(days allowed per 12 months, days taken, days left) for a
        suspension on request starting on `first_day` (default: today): the
        operator's wizard and the customer portal show these figures."""
        self.ensure_one()
        policy = self._tv_delinquency_policy()
        allowed = policy.suspension_max_days if policy else 0
        periods = [suspension._tv_period() for suspension in self.sudo().tv_suspension_ids]
        taken, left = requests_rules.suspension_days_left(
            allowed, [period for period in periods if period], first_day or self._tv_today())
        return allowed, taken, left

    def _tv_why_not_plan_change(self):
        """Why no plan of this contract can change (a text), or None."""
        self.ensure_one()
        if self.contract_status == rules.DEACTIVATED:
            return _("The contract %s is deactivated: its plan cannot change.") \
                % self.display_name
        return None

    # -- plan change -----------------------------------------------------------

    @api.multi
    def action_tv_plan_change(self, tv_user_id, product_id, when="now", reason=None):
        """Change a TV user of this contract to another TV product of the
        same integration, now ('now') or from the next invoicing period
        ('next_period'). TV operators only; refused with the reason, nothing
        changed, when not allowed. Returns the plan change's id."""
        self.ensure_one()
        check_request_operator(self)
        check = RpcArguments(self.env)
        tv_user_id = check.record_id(tv_user_id, _("TV user"))
        product_id = check.record_id(product_id, _("TV product"))
        when = check.text(when, _("When"), optional=False)  # its values: _tv_request
        reason = check.text(reason, _("Reason"))
        users = self.env["tv.user"].with_context(active_test=False).browse(tv_user_id)
        product = self.env["product.product"].browse(product_id)
        change = self.env["tv.plan.change"]._tv_request(
            self, users.exists(), product.exists(), when, reason, self._tv_today())
        return change.id

    # -- add-ons ---------------------------------------------------------------

    def _tv_why_not_addon(self):
        """Why no add-on can be added to this contract's TV users (a text),
        or None."""
        self.ensure_one()
        if self.contract_status == rules.DEACTIVATED:
            return _("The contract %s is deactivated: it takes no add-on.") % self.display_name
        return None

    def _tv_addon_request(self, tv_user_id, product_id):
        """The TV user and the add-on of a request, its arguments checked."""
        self.ensure_one()
        check = RpcArguments(self.env)
        tv_user_id = check.record_id(tv_user_id, _("TV user"))
        product_id = check.record_id(product_id, _("Add-on"))
        users = self.env["tv.user"].with_context(active_test=False).browse(tv_user_id).exists()
        return users, self.env["product.product"].browse(product_id).exists()

    @api.multi
    def tv_addon_preview(self, tv_user_id, product_id, action="add"):
        """What adding ('add') or removing ('remove') an add-on of a TV user
        of this contract means, before it is confirmed: a dict with the date
        it takes effect, the add-on's price, the period and days charged (or
        credited: a negative amount) first, and the amount. TV operators
        only; refused with the reason when the request would be."""
        check_request_operator(self)
        action = RpcArguments(self.env).text(action, _("Action"), optional=False)
        user, addon = self._tv_addon_request(tv_user_id, product_id)
        return TvAddons(self, self._tv_today()).preview(user, addon, action)

    @api.multi
    def action_tv_addon_add(self, tv_user_id, product_id):
        """Add an add-on to a TV user of this contract from today, at its
        price for this customer (first invoice pro rata); the TV user's sync
        sends its packages. TV operators only; refused with the reason,
        nothing changed, when not allowed. Returns the contract line's id."""
        check_request_operator(self)
        user, addon = self._tv_addon_request(tv_user_id, product_id)
        line = TvAddons(self, self._tv_today()).add(user, addon, self.env.user)[0]
        return line.id

    @api.multi
    def action_tv_addon_remove(self, tv_user_id, product_id):
        """Remove an add-on of a TV user of this contract from today (its
        last day charged is yesterday; what was invoiced after it is
        credited); the TV user's sync takes its packages away. TV operators
        only; refused with the reason, nothing changed, when not allowed."""
        check_request_operator(self)
        user, addon = self._tv_addon_request(tv_user_id, product_id)
        TvAddons(self, self._tv_today()).remove(user, addon, self.env.user)
        return True

    def _tv_product_price(self, product, quantity=1.0, uom=None):
        """A product's price for this contract's customer: the contract's (or
        the customer's) pricelist, else the product's sales price."""
        self.ensure_one()
        partner = self.partner_id
        pricelist = self.pricelist_id or partner.property_product_pricelist
        product = product.with_context(lang=partner.lang)
        if not pricelist:
            return product.lst_price
        return pricelist.get_product_price(
            product, quantity or 1.0, partner,
            date=self.recurring_next_date or fields.Date.today(),
            uom_id=(uom or product.uom_id).id)

    # -- customer notices ------------------------------------------------------

    @job(default_channel=channels.NOTICE_JOB_CHANNEL)
    @api.multi
    def _tv_send_status_notices(self, kind, status):
        """Olé TV: send the customer notices of a status change"""
        # the notices are the system's: whoever changed the status was checked
        # then; the result and the chatter notes in that user's language
        contracts = as_system(self, lang=self.env.user.lang or "en_US")
        return CustomerNotices(contracts.env).send_if_current(contracts, kind, status)

    # -- invoicing ---------------------------------------------------------------

    @api.multi
    def recurring_create_invoice(self):
        for contract in self:
            today = contract._tv_today()  # each contract's company's day
            # due plan changes are the system's: no caller's context key reaches them
            due = as_system(contract).tv_plan_change_ids.filtered(
                lambda c: c.state == "scheduled" and c.date <= fields.Date.to_string(today)
                and c.date <= (contract.recurring_next_date or c.date))
            for change in due.sorted("date"):
                change._tv_apply()
        return super().recurring_create_invoice()

    def _create_invoice(self, invoice=False):
        # tv_addon_windows: the add-on lines without a day in the period are left out
        invoice = super(AccountAnalyticAccount, self.with_context(
            tv_addon_windows=True))._create_invoice(invoice=invoice)
        ProRata(self).apply(invoice)
        return invoice

    @api.model
    def _prepare_invoice_line(self, line, invoice_id):
        """An add-on's line charges the periods it has days in (OCA contract
        11.0 invoices every line of the contract for the whole period);
        ProRata then charges its days only."""
        if line.tv_addon_from and self.env.context.get("tv_addon_windows") \
                and not line._tv_addon_window((as_date(line.date_from), as_date(line.date_to))):
            return {}
        return super()._prepare_invoice_line(line, invoice_id)

    # -- the contract list ---------------------------------------------------------------

    @api.multi
    def action_view_tv_users(self):
        action = self.env.ref("oletv_integration.action_tv_user").read()[0]
        action["domain"] = [("contract_id", "in", self.ids)]
        action["context"] = {"default_contract_id": self[:1].id}
        return action

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
        """Release the selected blocked, reduced or late notice contracts."""
        eligible = self.filtered(lambda c: c.contract_status in rules.RELEASABLE_STATUSES)
        if not eligible:
            raise UserError(_("None of the selected contracts is blocked, reduced or under a "
                              "late notice."))
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
