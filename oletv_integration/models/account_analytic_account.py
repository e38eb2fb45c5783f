# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The contract (OCA contract 11.0's account.analytic.account) as the TV
integration extends it:

- its status, which OCA contract 11.0 lacks, driven by buttons; automated
  actions (data/base_automation.xml) turn its transitions into TV access
  changes, the rules themselves live in access_rules.py;
- delinquency control: the daily policy run (late notice, automatic block),
  release as soon as the overdue invoices are paid, trust releases, and the
  contract list's bulk actions. Only the policy's own decisions are undone
  automatically: a manual block is never lifted by a payment or by the daily
  run. Status changes go through `_set_contract_status`, so the automated
  actions block or release the TV access exactly as the buttons do;
- activation from the sales flow: a contract created from a contract
  template, or from a confirmed sale order with TV products (sale_order.py),
  gets a TV user proposed per TV product (login: the customer's e-mail;
  packages: the product's), not yet created on the platform: the operator
  confirms it with the TV user's "Create on platform" button;
- the fields the workflow owns (owned_fields.py)."""
import logging
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .. import access_rules as rules
from .. import sync_plan as plan
from ..login_rules import EMAIL_RE
from .owned_fields import CONTRACT_OWNED, check_owned_create, check_owned_write
from .tv_roles import check_tv_operator, is_system

_logger = logging.getLogger(__name__)

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
# Statuses the policy may move a contract out of (never awaiting signature
# or deactivated).
POLICY_STATUSES = (rules.ACTIVE, rules.LATE_NOTICE, rules.BLOCKED)


class _AccessChanges(list):
    """Contracts whose TV access the automated actions asked to apply during
    one status write (_set_contract_status), applied once after it. A
    private type: a context value sent over RPC is never one. Equal only to
    itself (Odoo reuses an environment whose context compares equal).
    Closed once applied: an automated action run later (a recompute delayed
    by the caller, e.g. a payment's reconciliation) applies its contracts
    itself."""
    closed = False
    names = {}  # {contract id: display name} for the tracking messages
    __eq__ = object.__eq__
    __ne__ = object.__ne__
    __hash__ = object.__hash__


def _as_date(value):
    return fields.Date.from_string(value) if isinstance(value, str) else value


class AccountAnalyticAccount(models.Model):
    _inherit = "account.analytic.account"

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
    tv_user_ids = fields.One2many("tv.user", "contract_id", string="TV users")
    tv_user_count = fields.Integer(compute="_compute_tv_user_count")
    tv_product_ids = fields.Many2many(
        "product.product", compute="_compute_tv_product_ids",
        string="TV products", help="The products of the contract's TV/Streaming lines.")

    trust_release_until = fields.Date(
        string="Trust release until", readonly=True, copy=False, track_visibility="onchange",
        help="Released in trust up to this day: the delinquency policy leaves the contract "
             "alone until then, and blocks it again afterwards if invoices are still overdue.")
    tv_suspended_until = fields.Date(
        string="Suspended on request until", readonly=True, copy=False,
        track_visibility="onchange",
        help="The last day of the customer's running suspension on request: the TV is "
             "blocked until then and released automatically afterwards.")
    trust_release_ids = fields.One2many("tv.trust.release", "contract_id",
                                        string="Trust releases", readonly=True)
    trust_release_count = fields.Integer(string="Trust releases used",
                                         compute="_compute_trust_release_count")
    overdue_invoice_count = fields.Integer(string="Overdue invoices",
                                           compute="_compute_overdue_invoice_count")

    tv_sale_order_id = fields.Many2one("sale.order", string="Sale order", readonly=True,
                                       copy=False, index=True,
                                       help="The sale order this contract was created from.")

    @api.model
    def create(self, vals):
        check_owned_create(self, [vals], CONTRACT_OWNED)
        template_id = vals.get("contract_template_id")
        if template_id and not vals.get("recurring_invoice_line_ids"):
            # Created without the form (XML-RPC, code): do what the form's
            # template onchange does.
            vals = self._tv_values_from_template(
                self.env["account.analytic.contract"].browse(template_id), vals)
        contract = super().create(vals)
        if template_id:
            contract._tv_propose_users()
        return contract

    @api.multi
    def write(self, vals):
        check_owned_write(self, vals, CONTRACT_OWNED)
        return super().write(vals)

    @api.model
    def _tv_values_from_template(self, template, vals):
        vals = dict(vals)
        line_model = self.env["account.analytic.invoice.line"]
        lines = []
        for line in template.recurring_invoice_line_ids:
            line_vals = line._convert_to_write(line.read()[0])
            lines.append((0, 0, {name: value for name, value in line_vals.items()
                                 if name in line_model._fields and name not in (
                                     "id", "analytic_account_id", "is_tv_product",
                                     "price_subtotal", "price_unit", "display_name")
                                 and not line_model._fields[name].automatic}))
        vals["recurring_invoice_line_ids"] = lines
        for name, field in template._fields.items():
            if name in vals or name in self.NO_SYNC or name == "recurring_invoice_line_ids" \
                    or field.type in ("one2many", "many2many") or name not in self._fields \
                    or any((field.compute, field.related, field.automatic, field.readonly,
                            field.company_dependent)):
                continue
            vals[name] = field.convert_to_write(template[name], template)
        return vals

    @api.multi
    def _tv_propose_users(self):
        """One TV user per TV product of the contract that has none yet, in
        state "Not created". A customer without a valid e-mail, or whose
        e-mail is already a login on that integration, gets a note instead."""
        # sudo: the system's own proposal (the context key is honoured only
        # in the system's paths); whoever confirms the order or creates the
        # contract needs no TV rights
        tv_user_model = self.env["tv.user"].sudo().with_context(tv_no_platform_sync=True)
        proposed = tv_user_model.browse()
        for contract in self:
            email = (contract.partner_id.email or "").strip().lower()
            for product in contract.tv_product_ids - contract.tv_user_ids.mapped("product_id"):
                if not EMAIL_RE.match(email):
                    contract.message_post(body=_(
                        'No TV user proposed for "%s": the customer has no valid e-mail. '
                        "Add the TV user with a login.") % product.display_name)
                    continue
                twin = tv_user_model._tv_login_holder(product.tv_integration_id.id or 0, email)
                if twin:
                    contract.message_post(body=_(
                        'No TV user proposed for "%(product)s": the login %(login)s is already '
                        "used by the TV user of contract %(contract)s. Add it with another "
                        "login.") % {"product": product.display_name, "login": email,
                                     "contract": twin.contract_id.display_name})
                    continue
                proposed |= tv_user_model.create({
                    "contract_id": contract.id, "product_id": product.id,
                    "technology": "iptv", "use_main_email": True, "login": email})
            if proposed.filtered(lambda user: user.contract_id == contract):
                contract.message_post(body=_(
                    "TV user(s) proposed: %s. Check them and use Create on platform.")
                    % ", ".join(proposed.filtered(lambda u: u.contract_id == contract)
                                .mapped("product_id.display_name")))
        return proposed

    @api.depends("contract_status")
    def _compute_tv_access(self):
        for contract in self:
            contract.tv_access = rules.desired_access(contract.contract_status)

    @api.depends("tv_user_ids")
    def _compute_tv_user_count(self):
        for contract in self:
            contract.tv_user_count = len(contract.tv_user_ids)

    @api.depends("recurring_invoice_line_ids.product_id", "recurring_invoice_line_ids.line_type")
    def _compute_tv_product_ids(self):
        for contract in self:
            contract.tv_product_ids = contract.recurring_invoice_line_ids.filtered(
                lambda line: line.line_type == "tv").mapped("product_id")

    def _tv_write_owned(self, vals):
        """Write fields the workflow owns (contract_status, block_reason,
        trust_release_until; see owned_fields.py): only the addon's own
        methods call it, after their checks. The chatter still names the
        user who asked, not the superuser who wrote."""
        return self.sudo().with_context(
            tv_tracking_author_id=self.env.user.partner_id.id).write(vals)

    @api.multi
    def message_post(self, **kwargs):
        author = self.env.context.get("tv_tracking_author_id")
        if author and is_system(self.env) and not kwargs.get("author_id"):
            kwargs["author_id"] = author
        changes = self.env.context.get("tv_access_changes")
        if isinstance(changes, _AccessChanges) and len(self) == 1 \
                and self.id in changes.names and not kwargs.get("record_name"):
            # the status change's tracking: the name read once for all contracts
            kwargs["record_name"] = changes.names[self.id]
        return super().message_post(**kwargs)

    def _tv_operator_set_status(self, new_status, block_reason=False):
        """The status buttons: a TV operator who can read the contracts gets
        exactly this change (and the TV access it implies), nothing more."""
        check_tv_operator(self)
        return self._set_contract_status(new_status, block_reason=block_reason)

    def _set_contract_status(self, new_status, block_reason=False):
        labels = dict(CONTRACT_STATUS_SELECTION)
        for contract in self:
            if not rules.can_transition(contract.contract_status, new_status):
                raise UserError(_(
                    'The contract %(contract)s is "%(status)s" and cannot become '
                    '"%(new_status)s".') % {
                        "contract": contract.display_name,
                        "status": _(labels[contract.contract_status]),
                        "new_status": _(labels[new_status])})
        # Odoo 11's automated actions run once per contract: they only note
        # the contracts here, and their TV users are queued in one go below
        # their TV users' rows first (their desired access changes below)
        if self.ids:
            self.env["tv.user"].sudo()._tv_lock_for_request("contract_id IN %s",
                                                            (tuple(self.ids),))
        changes = _AccessChanges()
        # each tracking message names its contract: one name_get for all
        changes.names = dict(self.sudo().name_get())
        self.with_context(tv_access_changes=changes)._tv_write_owned(
            {"contract_status": new_status, "block_reason": block_reason})
        changes.closed = True  # a recompute delayed past here applies its own
        if changes:
            self.sudo().browse(sorted(set(changes)))._tv_apply_contract_access()
        return True

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

    @api.multi
    def _tv_apply_contract_access(self):
        """Called by the automated actions after a status change that flips
        the TV access: queue the platform change for the TV users that exist
        there (one query to find them). Within a status change the contracts
        are only noted, and queued together once the change is written."""
        changes = self.env.context.get("tv_access_changes")
        if isinstance(changes, _AccessChanges) and not changes.closed:
            changes.extend(self.ids)
            return
        self.env["tv.user"].search([
            ("contract_id", "in", self.ids), ("platform_state", "in", plan.LIVE_STATES),
        ])._tv_request_sync()

    @api.multi
    def action_view_tv_users(self):
        action = self.env.ref("oletv_integration.action_tv_user").read()[0]
        action["domain"] = [("contract_id", "in", self.ids)]
        action["context"] = {"default_contract_id": self[:1].id}
        return action

    # -- delinquency ---------------------------------------------------------

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
        # one policy per company
        for policy in self.env["tv.delinquency.policy"].search([]):  # pylint: disable=no-search-all
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
                body=_("Released in trust for %(days)d days, until %(until)s.")
                % {"days": length, "until": fields.Date.to_string(until)},
                author_id=operator.partner_id.id)
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
