# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Link existing Olé TV subscribers to Odoo contracts from a CSV.

A provider adopting the addon already has customers on Olé TV. Each CSV row
names a contract (reference, name or the customer's VAT/document), a TV
login and optionally the platform account number and the TV product. The
plan (a dry run: reads only) says for each row whether it will be linked,
is already linked or cannot be, and why; applying it creates the TV users
bound to the existing subscribers (no platform creation) in one transaction,
then asks for their sync so the contract's status drives their access.

Entry points: the wizard on the TV integration and, for scripted migrations,
``tv.integration.link_existing_subscribers(ids, csv_text, dry_run=True)``."""
import base64
import logging
from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .. import oletv_client as ole
from ..models.tv_user import EMAIL_RE, normalize_macs
from . import link_csv

_logger = logging.getLogger(__name__)

MANAGER_GROUP = "oletv_integration.group_tv_manager"

LINK = "link"
LINKED = "linked"
ALREADY_LINKED = "already_linked"
ERROR = "error"
STATUS_SELECTION = [
    (LINK, "To link"),
    (LINKED, "Linked"),
    (ALREADY_LINKED, "Already linked"),
    (ERROR, "Error"),
]


class _PlanRow(object):
    """What will happen to one CSV row (plain object, never stored)."""

    def __init__(self, csv_row):
        self.csv = csv_row
        self.row = csv_row.row
        self.login = csv_row.login
        self.account = csv_row.account
        self.contract = None
        self.product = None
        self.subscriber = None
        self.tv_user = None
        self.equipment = None
        self.status = None
        self.reason = ""

    @property
    def pending(self):
        return self.status is None

    def fail(self, reason):
        self.status, self.reason = ERROR, reason

    def as_dict(self):
        """The XML-RPC answer for this row (no None: XML-RPC refuses it)."""
        account = (self.subscriber.account_number if self.subscriber
                   else self.tv_user.account_number if self.tv_user else self.account)
        return {
            "row": self.row,
            "status": self.status,
            "reason": self.reason or "",
            "login": self.login or "",
            "account_number": account or "",
            "contract_id": self.contract.id if self.contract else False,
            "product_id": self.product.id if self.product else False,
            "tv_user_id": self.tv_user.id if self.tv_user else False,
        }

    def line_values(self):
        values = self.as_dict()
        return {"row": values["row"], "status": values["status"], "reason": values["reason"],
                "login": values["login"], "account_number": values["account_number"],
                "contract_ref": self.csv.contract or self.csv.vat,
                "contract_id": values["contract_id"], "product_id": values["product_id"],
                "tv_user_id": values["tv_user_id"]}


class _LinkPlanner(object):
    """Builds the plan of a CSV for one integration, with a handful of bulk
    queries and platform reads (batch read when account numbers are given,
    one look-up by login otherwise). Writes nothing."""

    def __init__(self, integration):
        self.integration = integration
        self.env = integration.env  # also gives _() its language

    def plan(self, csv_rows):
        rows = [_PlanRow(csv_row) for csv_row in csv_rows]
        self._check_format(rows)
        self._resolve_products(rows)
        self._resolve_contracts(rows)
        self._check_products_on_contracts(rows)
        self._check_duplicates(rows)
        self._check_existing_users(rows)
        self._read_platform(rows)
        self._check_accounts_linked_elsewhere(rows)
        self._finish(rows)
        return rows

    # -- the file itself -------------------------------------------------------

    def _check_format(self, rows):
        for row in rows:
            if row.csv.error:
                row.fail(self.integration._tv_link_csv_error(row.csv.error,
                                                             row.csv.error_args))
            elif not EMAIL_RE.match(row.login):
                row.fail(_("Malformed line: the login %s is not a valid e-mail address.")
                         % row.login)

    def _check_duplicates(self, rows):
        """A login to link twice: the first row that can be linked wins."""
        first_row = {}
        for row in rows:
            if not row.pending:
                continue
            if row.login in first_row:
                row.fail(_("The login %s is already on row %d of the file.")
                         % (row.login, first_row[row.login]))
            else:
                first_row[row.login] = row.row

    # -- products ----------------------------------------------------------------

    def _resolve_products(self, rows):
        texts = {row.csv.product for row in rows if row.pending and row.csv.product}
        if not texts:
            return
        Product = self.env["product.product"]
        found = Product.search(["|", ("default_code", "in", list(texts)),
                                ("name", "in", list(texts))])
        found |= Product.search([("is_tv_product", "=", True),
                                 ("tv_integration_id", "=", self.integration.id)])
        maps = [defaultdict(Product.browse) for _index in range(4)]
        for product in found:
            maps[0][product.default_code or ""] |= product
            maps[1][product.name] |= product
            maps[2][(product.default_code or "").lower()] |= product
            maps[3][product.name.lower()] |= product
        for row in rows:
            if row.pending and row.csv.product:
                self._resolve_product(row, maps)

    def _resolve_product(self, row, maps):
        text = row.csv.product
        keys = (text, text, text.lower(), text.lower())
        matches = next((maps[index][key] for index, key in enumerate(keys)
                        if maps[index].get(key)), None)
        if not matches:
            return row.fail(_('No product with code or name "%s".') % text)
        if len(matches) > 1:
            tv_only = matches.filtered(lambda product: product.is_tv_product and
                                       product.tv_integration_id == self.integration)
            if len(tv_only) != 1:
                return row.fail(_('Several products have the code or name "%s".') % text)
            matches = tv_only
        if not matches.is_tv_product:
            return row.fail(_('"%s" is not a TV product.') % matches.display_name)
        if matches.tv_integration_id != self.integration:
            return row.fail(_('The TV product "%s" belongs to another TV integration.')
                            % matches.display_name)
        row.product = matches

    # -- contracts ---------------------------------------------------------------

    def _resolve_contracts(self, rows):
        by_reference = self._contracts_by_reference(rows)
        by_vat = self._contracts_by_vat(rows)
        for row in rows:
            if not row.pending:
                continue
            if row.csv.contract:
                self._resolve_by_reference(row, by_reference)
            else:
                self._resolve_by_vat(row, by_vat)

    def _contracts_by_reference(self, rows):
        """{text: contracts}, reference (code) first, then name."""
        Contract = self.env["account.analytic.account"]
        texts = list({row.csv.contract for row in rows if row.pending and row.csv.contract})
        by_code, by_name = defaultdict(Contract.browse), defaultdict(Contract.browse)
        if texts:
            for contract in Contract.search(["|", ("code", "in", texts), ("name", "in", texts)]):
                if contract.code:
                    by_code[contract.code] |= contract
                by_name[contract.name] |= contract
        return {text: by_code.get(text) or by_name.get(text) for text in texts}

    def _contracts_by_vat(self, rows):
        """{normalized VAT: contracts of that customer (or its contacts)}."""
        Contract = self.env["account.analytic.account"]
        vats = {link_csv.normalize_vat(row.csv.vat) for row in rows
                if row.pending and row.csv.vat} - {""}
        by_vat = defaultdict(Contract.browse)
        if not vats:
            return by_vat
        self.env.cr.execute(
            "SELECT id FROM res_partner WHERE vat IS NOT NULL AND "
            "upper(regexp_replace(vat, '[^0-9A-Za-z]', '', 'g')) IN %s", (tuple(vats),))
        partner_ids = [partner_id for partner_id, in self.env.cr.fetchall()]
        if partner_ids:
            for contract in Contract.search([("partner_id", "child_of", partner_ids)]):
                for vat in partner_vats(contract.partner_id) & vats:
                    by_vat[vat] |= contract
        return by_vat

    def _resolve_by_reference(self, row, by_reference):
        text = row.csv.contract
        matches = by_reference.get(text)
        if not matches:
            return row.fail(_('Contract not found: no contract with reference or name "%s".')
                            % text)
        if len(matches) > 1:
            return row.fail(_('%d contracts have the reference or name "%s".')
                            % (len(matches), text))
        if row.csv.vat and link_csv.normalize_vat(row.csv.vat) not in partner_vats(
                matches.partner_id):
            return row.fail(_("The customer of contract %s does not have the VAT/document %s.")
                            % (matches.display_name, row.csv.vat))
        row.contract = matches

    def _resolve_by_vat(self, row, by_vat):
        matches = by_vat.get(link_csv.normalize_vat(row.csv.vat))
        if not matches:
            return row.fail(_("Contract not found: no contract of a customer with "
                              "VAT/document %s.") % row.csv.vat)
        if len(matches) > 1:  # keep the contracts that can take this TV user
            fitting = matches.filtered(lambda contract: self._fits(contract, row.product))
            if len(fitting) != 1:
                return row.fail(_("%d contracts belong to the customer with VAT/document %s: "
                                  "give the contract reference instead.")
                                % (len(matches), row.csv.vat))
            matches = fitting
        row.contract = matches

    def _tv_products(self, contract):
        return contract.tv_product_ids.filtered(
            lambda product: product.tv_integration_id == self.integration)

    def _fits(self, contract, product):
        products = self._tv_products(contract)
        return product in products if product else len(products) == 1

    def _check_products_on_contracts(self, rows):
        for row in rows:
            if not row.pending:
                continue
            products = self._tv_products(row.contract)
            if row.product and row.product not in products:
                row.fail(_('The product "%s" is not a TV/Streaming line of contract %s.')
                         % (row.product.display_name, row.contract.display_name))
            elif not row.product and not products:
                row.fail(_("Contract %s has no TV/Streaming line of this TV integration.")
                         % row.contract.display_name)
            elif not row.product and len(products) > 1:
                row.fail(_("Contract %s has several TV products (%s): fill the product column.")
                         % (row.contract.display_name, ", ".join(products.mapped("display_name"))))
            elif not row.product:
                row.product = products

    # -- TV users already in Odoo --------------------------------------------------

    def _live_users(self, domain):
        return self.env["tv.user"].search(
            [("integration_id", "=", self.integration.id),
             ("platform_state", "!=", "deleted")] + domain)

    def _check_existing_users(self, rows):
        logins = [row.login for row in rows if row.pending]
        users = {user.login: user for user in self._live_users([("login", "in", logins)])} \
            if logins else {}
        for row in rows:
            user = users.get(row.login) if row.pending else None
            if user:
                self._check_existing_user(row, user)

    def _check_existing_user(self, row, user):
        if user.contract_id != row.contract:
            return row.fail(_("The login %s is already linked to the TV user of contract %s.")
                            % (row.login, user.contract_id.display_name))
        if not user.account_number:
            return row.fail(_("Contract %s already has a TV user with the login %s that is not "
                              "on Olé TV yet: let its sync finish or delete it.")
                            % (row.contract.display_name, row.login))
        if row.account and row.account != user.account_number:
            return row.fail(_("The TV user %s is linked to account %s, not %s.")
                            % (row.login, user.account_number, row.account))
        row.tv_user, row.status = user, ALREADY_LINKED
        if row.product and row.product != user.product_id:
            row.reason = _("Already linked with the product %s (the file says %s); "
                           "not changed.") % (user.product_id.display_name,
                                              row.product.display_name)

    # -- the platform --------------------------------------------------------------

    def _read_platform(self, rows):
        pending = [row for row in rows if row.pending]
        if not pending:
            return
        try:
            with self.integration._client() as client:
                by_account = self._batch_read(client, pending)
                for row in pending:
                    self._match_subscriber(client, row, by_account.get(row.account))
        except ole.OleTVError as exc:
            raise UserError(_("Olé TV could not be read; nothing was linked. %s")
                            % self.integration.platform_error_message(exc))

    @staticmethod
    def _batch_read(client, rows):
        accounts = [row.account for row in rows if row.account]
        if not accounts:
            return {}
        return {subscriber.account_number: subscriber
                for subscriber in client.get_subscribers(accounts).subscribers}

    def _match_subscriber(self, client, row, subscriber):
        if subscriber and subscriber.login.lower() == row.login:
            row.subscriber = subscriber
            return
        subscriber = client.find_subscriber_by_login(row.login)
        if not subscriber:
            return row.fail(_("The login %s is unknown on Olé TV.") % row.login)
        if row.account and subscriber.account_number != row.account:
            return row.fail(_("On Olé TV the login %s is account %s, not %s.")
                            % (row.login, subscriber.account_number, row.account))
        row.subscriber = subscriber

    def _check_accounts_linked_elsewhere(self, rows):
        accounts = [row.subscriber.account_number for row in rows if row.pending]
        if not accounts:
            return
        users = {user.account_number: user
                 for user in self._live_users([("account_number", "in", accounts)])}
        for row in rows:
            user = users.get(row.subscriber.account_number) if row.pending else None
            if user:
                row.fail(_("Account %s is already linked to the TV user %s of contract %s.")
                         % (user.account_number, user.login, user.contract_id.display_name))

    def _finish(self, rows):
        equipment = {model.code: model for model in self.integration.equipment_model_ids}
        for row in rows:
            if not row.pending:
                continue
            row.status = LINK
            subscriber = row.subscriber
            if subscriber.equipment and row.product.tv_additional_line_ids.filtered(
                    "package_id.extra_point"):
                row.equipment = equipment.get(subscriber.equipment)
            main, additional = row.product.product_tmpl_id.tv_package_codes()
            if (subscriber.main_package, tuple(subscriber.additional_packages)) \
                    != (main, tuple(additional)):
                row.reason = _("The packages on Olé TV (%s) differ from the product's (%s).") % (
                    ", ".join((subscriber.main_package,) + subscriber.additional_packages),
                    ", ".join([main] + list(additional)))


def partner_vats(partner):
    """Normalized VAT/documents of a partner and its parents."""
    vats = set()
    while partner:
        if partner.vat:
            vats.add(link_csv.normalize_vat(partner.vat))
        partner = partner.parent_id
    return vats


class TvIntegration(models.Model):
    _inherit = "tv.integration"

    @api.multi
    def link_existing_subscribers(self, csv_text, dry_run=True):
        """Link the TV users of a CSV to subscribers that already exist on
        the platform (for XML-RPC migrations). Returns one dict per row:
        ``row``, ``status`` (dry run: link / already_linked / error; else
        linked / already_linked / error), ``reason``, ``login``,
        ``account_number``, ``contract_id``, ``product_id``, ``tv_user_id``."""
        self.ensure_one()
        plan = self._tv_link_plan(csv_text)
        if not dry_run:
            self._tv_link_apply(plan)
        return [row.as_dict() for row in plan]

    def _tv_link_check_rights(self):
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(_("Only TV Integration managers can link existing subscribers."))

    def _tv_link_csv_error(self, code, params=()):
        """Translated text of a link_csv error code (only the needed text is
        translated; ``_`` takes the language from ``self.env``)."""
        if code == link_csv.ERR_EMPTY:
            text = _("The file is empty: it needs a header line and one line per TV user.")
        elif code == link_csv.ERR_NO_LOGIN_COLUMN:
            text = _("The header has no login column (login, tv_login or email).")
        elif code == link_csv.ERR_NO_CONTRACT_COLUMN:
            text = _("The header needs a contract column (contract, reference) or a customer "
                     "VAT column (vat, document, cpf_cnpj).")
        elif code == link_csv.ERR_DUPLICATE_COLUMN:
            text = _("The header has the same column twice: %s.")
        elif code == link_csv.ERR_COLUMNS:
            text = _("Malformed line: %d columns expected, %d found.")
        elif code == link_csv.ERR_NO_LOGIN:
            text = _("Malformed line: the login is empty.")
        elif code == link_csv.ERR_NO_CONTRACT:
            text = _("Malformed line: neither a contract reference nor a customer VAT/document.")
        else:
            text = _("The file is not a readable CSV text file.")
        return text % tuple(params) if params else text

    def _tv_link_plan(self, csv_data):
        """CSV text or bytes -> list of _PlanRow. Reads only."""
        self.ensure_one()
        self._tv_link_check_rights()
        try:
            csv_rows = link_csv.parse(csv_data or "")
        except link_csv.CsvFileError as exc:
            raise UserError(self._tv_link_csv_error(exc.code, exc.params))
        return _LinkPlanner(self).plan(csv_rows)

    def _tv_link_apply(self, plan):
        """Create the TV users of the plan's LINK rows, bound to their
        subscribers, then request their sync. All or nothing: any failure
        rolls every row back and raises a UserError naming the row."""
        self.ensure_one()
        self._tv_link_check_rights()
        current = None
        try:
            with self.env.clear_upon_failure(), self.env.cr.savepoint():
                message = _("Linked to the existing Olé TV subscriber %s (row %d of an "
                            "imported list); not created on the platform.")
                for row in plan:
                    if row.status == LINK:
                        current = row
                        self._tv_link_row(row, message)
        except Exception as exc:
            for row in plan:
                if row.status == LINKED:
                    row.status, row.tv_user = LINK, None
            reason = getattr(exc, "name", None) or str(exc)
            if not isinstance(exc, UserError):
                _logger.exception("Linking subscribers failed on row %s", current and current.row)
            raise UserError(_("Nothing was linked: row %d could not be linked: %s")
                            % (current.row if current else 0, reason))
        return plan

    def _tv_link_row(self, row, message):
        subscriber = row.subscriber
        partner_email = (row.contract.partner_id.email or "").strip().lower()
        try:
            macs = normalize_macs("\n".join(subscriber.mac_devices))
        except ValidationError:  # the platform's own list: keep the link, skip the copy
            macs = False
        technology = subscriber.technology if subscriber.technology in ("iptv", "ott") else "iptv"
        # No field tracking: the link message below is the chatter's record
        # of it (tracking costs several messages per user, a lot for 1,000).
        quiet = self.env["tv.user"].with_context(tracking_disable=True)
        user = quiet.with_context(tv_no_platform_sync=True).create({
            "contract_id": row.contract.id, "product_id": row.product.id, "platform": "oletv",
            "technology": technology, "use_main_email": row.login == partner_email,
            "login": row.login, "mac_devices": macs,
            "equipment_model_id": row.equipment.id if row.equipment else False,
        })
        user = quiet.browse(user.id)  # without tv_no_platform_sync
        # The new TV user has no follower: skip mail's notification step,
        # which formats each message for nobody (most of a post's cost).
        user.with_context(message_create_from_mail_mail=True)._tv_apply_subscriber(
            subscriber, message % (subscriber.account_number, row.row))
        user._tv_request_sync()
        row.tv_user, row.status = user, LINKED


class TvLinkSubscribersWizard(models.TransientModel):
    _name = "tv.link.subscribers.wizard"
    _description = "Link existing TV subscribers"

    @api.model
    def _default_integration(self):
        if self.env.context.get("active_model") == "tv.integration":
            return self.env.context.get("active_id")
        return False

    integration_id = fields.Many2one("tv.integration", string="TV integration", required=True,
                                     default=_default_integration, ondelete="cascade")
    csv_file = fields.Binary(
        string="CSV file", attachment=False,
        help="Header line, then one line per TV user. Columns: contract (contract reference or "
             "name) or vat (customer VAT/document), login, and optionally account_number "
             "(platform account) and product (TV product code or name). Comma, semicolon or "
             "tab separated.")
    csv_filename = fields.Char(string="File name")
    state = fields.Selection([("upload", "Upload"), ("preview", "Preview"), ("done", "Done")],
                             default="upload", required=True)
    line_ids = fields.One2many("tv.link.subscribers.line", "wizard_id", string="Rows")
    link_count = fields.Integer(compute="_compute_counts", string="To link")
    linked_count = fields.Integer(compute="_compute_counts", string="Linked")
    already_count = fields.Integer(compute="_compute_counts", string="Already linked")
    error_count = fields.Integer(compute="_compute_counts", string="Errors")

    @api.depends("line_ids.status")
    def _compute_counts(self):
        for wizard in self:
            statuses = wizard.line_ids.mapped("status")
            wizard.link_count = statuses.count(LINK)
            wizard.linked_count = statuses.count(LINKED)
            wizard.already_count = statuses.count(ALREADY_LINKED)
            wizard.error_count = statuses.count(ERROR)

    def _csv_bytes(self):
        if not self.csv_file:
            raise UserError(_("Choose the CSV file first."))
        return base64.b64decode(self.csv_file)

    def _show_rows(self, plan, state):
        self.write({"state": state,
                    "line_ids": [(5, 0, 0)] + [(0, 0, row.line_values()) for row in plan]})
        return {"type": "ir.actions.act_window", "res_model": self._name, "res_id": self.id,
                "view_mode": "form", "target": "new", "name": _("Link existing subscribers")}

    @api.multi
    def action_preview(self):
        """Dry run: show what would happen to each row; nothing is linked."""
        self.ensure_one()
        return self._show_rows(self.integration_id._tv_link_plan(self._csv_bytes()), "preview")

    @api.multi
    def action_confirm(self):
        """Plan again (the platform may have changed) and link every valid
        row in one transaction."""
        self.ensure_one()
        plan = self.integration_id._tv_link_plan(self._csv_bytes())
        if not any(row.status == LINK for row in plan):
            raise UserError(_("No row can be linked: see the reasons in the preview."))
        self.integration_id._tv_link_apply(plan)
        linked = sum(1 for row in plan if row.status == LINKED)
        self.integration_id.message_post(body=_(
            "Existing Olé TV subscribers linked from %s: %d linked, %d already linked, "
            "%d errors.") % (self.csv_filename or _("a CSV file"), linked,
                             sum(1 for row in plan if row.status == ALREADY_LINKED),
                             sum(1 for row in plan if row.status == ERROR)))
        return self._show_rows(plan, "done")

    @api.multi
    def action_back(self):
        self.ensure_one()
        self.write({"state": "upload", "line_ids": [(5, 0, 0)]})
        return {"type": "ir.actions.act_window", "res_model": self._name, "res_id": self.id,
                "view_mode": "form", "target": "new", "name": _("Link existing subscribers")}


class TvLinkSubscribersLine(models.TransientModel):
    _name = "tv.link.subscribers.line"
    _description = "Link existing TV subscribers: row"
    _order = "row, id"

    wizard_id = fields.Many2one("tv.link.subscribers.wizard", required=True, ondelete="cascade",
                                index=True)
    row = fields.Integer(string="Line", help="Line number in the file (the header is line 1).")
    contract_ref = fields.Char(string="Contract / VAT in the file")
    contract_id = fields.Many2one("account.analytic.account", string="Contract")
    login = fields.Char()
    account_number = fields.Char()
    product_id = fields.Many2one("product.product", string="Product")
    status = fields.Selection(STATUS_SELECTION, string="Outcome", required=True)
    reason = fields.Text()
    tv_user_id = fields.Many2one("tv.user", string="TV user")
