# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The contract (OCA contract 11.0's account.analytic.account) as the TV
integration extends it:

- its status, which OCA contract 11.0 lacks, driven by buttons; automated
  actions (data/base_automation.xml) turn its transitions into TV access
  changes, the rules themselves live in access_rules.py;
- delinquency control (account_analytic_account_delinquency.py): the
  suspension ladder's daily run, release on payment, trust releases, the
  termination proposal; the contract list's bulk actions here. Status changes
  go through `_set_contract_status`, so the automated actions block, reduce
  or release the TV access exactly as the buttons do;
- activation from the sales flow: a contract created from a contract
  template, or from a confirmed sale order with TV products (sale_order.py),
  gets a TV user proposed per TV product (login: the customer's e-mail;
  packages: the product's), not yet created on the platform: the operator
  confirms it with the TV user's "Create on platform" button;
- the fields the workflow owns (owned_fields.py)."""
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..core import access_rules as rules
from ..core import sync_plan as plan
from ..core.login_rules import EMAIL_RE
from ..services.wake_ups import WakeUps
from .tv_roles import as_system, check_tv_operator, is_system

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


class AccountAnalyticAccount(models.Model):
    _name = "account.analytic.account"
    _inherit = ["account.analytic.account", "tv.field.guard"]

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
    tv_releasable = fields.Boolean(
        string="On the delinquency ladder", compute="_compute_tv_operator_actions",
        search="_search_tv_releasable",
        help="Under a late notice, reduced or blocked: what Release lifts.")
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
    tv_status_change_ids = fields.One2many("tv.contract.status.change", "contract_id",
                                           string="Status history", readonly=True)
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

    @api.model
    def create(self, vals):
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
        if "partner_id" not in vals:
            return super().write(vals)
        self._tv_check_holder_change(vals["partner_id"])
        new_holder = self.env["res.partner"].browse(vals["partner_id"]).commercial_partner_id
        changing = self.filtered(lambda c: c.partner_id.commercial_partner_id != new_holder)
        result = super().write(vals)
        if changing:
            as_system(changing).write({"tv_holder_since": fields.Datetime.now()})
        return result

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
        tv_user_model = as_system(self.env["tv.user"], tv_no_platform_sync=True)
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

    @api.constrains("company_id")
    def _check_tv_company(self):
        """A TV contract keeps a company (account_analytic_invoice_line.py)."""
        for contract in self:
            if not contract.company_id and contract.recurring_invoice_line_ids.filtered(
                    lambda line: line.line_type == "tv"):
                raise ValidationError(_('The contract "%s" has TV lines: choose its company.')
                                      % contract.display_name)

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

    @api.depends("contract_status")
    def _compute_tv_operator_actions(self):
        for contract in self:
            actions = rules.operator_actions(contract.contract_status)
            for action in rules.OPERATOR_ACTIONS:
                contract["tv_can_%s" % action] = action in actions
            contract.tv_releasable = contract.contract_status in rules.RELEASABLE_STATUSES

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

    @api.depends("recurring_invoice_line_ids.product_id", "recurring_invoice_line_ids.line_type")
    def _compute_tv_product_ids(self):
        for contract in self:
            contract.tv_product_ids = contract.recurring_invoice_line_ids.filtered(
                lambda line: line.line_type == "tv").mapped("product_id")

    def _tv_write_owned(self, vals, track=True):
        """Write fields the workflow owns (contract_status, block_reason,
        trust_release_until; see owned_fields.py): only the addon's own
        methods call it, after their checks. The chatter still names the
        user who asked, not the superuser who wrote; track=False: no chatter
        tracking (a bulk status change, in the status history instead)."""
        context = {"tv_tracking_author_id": self.env.user.partner_id.id}
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
                   "until": suspended[0].tv_suspended_until})
        self._set_contract_status(new_status, block_reason=block_reason)
        if suspended:
            today = self._tv_today()
            for suspension in suspended.mapped("tv_suspension_ids").filtered(
                    lambda s: s.state == "running"):
                suspension._tv_daily_end(today)
        return True

    def _set_contract_status(self, new_status, block_reason=False, notice_batch=None):
        """The one place every status change goes through, in this order:
        the transitions are checked (access_rules); the contracts' TV users'
        rows are locked (a job storing them is waited for); the status is
        written, and the automated actions (data/base_automation.xml) mark
        the live TV users of the contracts whose TV access changed pending
        (_tv_apply_contract_access); the change is recorded in the status
        history; the integrations are woken once for all of them; a
        termination proposal is withdrawn when the contract leaves the block;
        the customer notices are queued, or collected in `notice_batch` (a
        NoticeBatch: the daily run queues them once at its end).

        Several contracts at once (the contract list's actions) are written
        without chatter tracking (but those a follower of internal notes
        watches): their changes are in the status history."""
        self._tv_check_transitions(new_status)
        previous = [(contract.id, contract.contract_status, contract.company_id)
                    for contract in self]
        tv_users = self.env["tv.user"].sudo()
        if self.ids:
            tv_users._tv_lock_for_request("contract_id IN %s", (tuple(self.ids),))
        vals = {"contract_status": new_status, "block_reason": block_reason}
        untracked = self._tv_untracked_in_bulk()
        (self - untracked)._tv_write_owned(vals)
        untracked._tv_write_owned(vals, track=False)
        self.env["tv.contract.status.change"]._record(
            [(contract_id, status, company.id) for contract_id, status, company in previous],
            new_status, block_reason, bulk=untracked)
        self._tv_wake_pending_tv_users()
        if new_status != rules.BLOCKED:
            self.filtered("tv_termination_proposed_on")._tv_withdraw_termination()
        self._tv_enqueue_status_notices(previous, new_status, notice_batch)
        return True

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
        labels = dict(CONTRACT_STATUS_SELECTION)
        for contract in self:
            if not rules.can_transition(contract.contract_status, new_status):
                raise UserError(_(
                    'The contract %(contract)s is "%(status)s" and cannot become '
                    '"%(new_status)s".') % {
                        "contract": contract.display_name,
                        "status": _(labels[contract.contract_status]),
                        "new_status": _(labels[new_status])})

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
        """The automated actions' hook, after a status change that flips the
        TV access (Odoo 11 runs it once per contract, twice within a status
        write: keep it to two queries): the contracts' TV users that exist
        on the platform are marked pending, and their integration is woken
        unless a wake-up already waits; _set_contract_status then wakes as
        many slots as the whole change needs."""
        rows = self.env["tv.user"].sudo()._tv_mark_pending(
            "contract_id IN %s AND active AND platform_state IN %s",
            (tuple(self.ids), plan.LIVE_STATES))
        wake_ups = WakeUps(self.env)
        for integration_id in {integration_id for _user_id, integration_id in rows}:
            if not integration_id or not wake_ups.waiting(integration_id):
                wake_ups.wake_rows([row for row in rows if row[1] == integration_id])

    def _tv_wake_pending_tv_users(self):
        """Wake the integrations of these contracts' pending TV users: as
        many slots as they need (each automated action's call woke one)."""
        wake_ups = WakeUps(self.env)
        for integration_id, pending in wake_ups.pending_of_contracts(self.ids).items():
            if integration_id:
                wake_ups.wake(integration_id, pending)

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
