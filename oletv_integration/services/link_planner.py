# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Planning the link of existing Olé TV subscribers (reads only): for each CSV
row, find the contract and the TV product, read the platform, and say
whether it will be linked, is already linked, or cannot be and why."""
from collections import defaultdict

from odoo import _
from odoo.exceptions import UserError

from .. import oletv_client as ole
from ..core import link_csv
from ..core.login_rules import EMAIL_RE

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

    def __init__(self, integration, csv_error):
        self.integration = integration
        self.env = integration.env  # also gives _() its language
        self.csv_error = csv_error  # a link_csv error code -> its translated text

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
                row.fail(self.csv_error(row.csv.error, row.csv.error_args))
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
                row.fail(_("The login %(login)s is already on row %(row)d of the file.")
                         % {"login": row.login, "row": first_row[row.login]})
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
            return row.fail(_('%(count)d contracts have the reference or name "%(text)s".')
                            % {"count": len(matches), "text": text})
        if row.csv.vat and link_csv.normalize_vat(row.csv.vat) not in partner_vats(
                matches.partner_id):
            return row.fail(_("The customer of contract %(contract)s does not have the "
                              "VAT/document %(vat)s.")
                            % {"contract": matches.display_name, "vat": row.csv.vat})
        row.contract = matches

    def _resolve_by_vat(self, row, by_vat):
        matches = by_vat.get(link_csv.normalize_vat(row.csv.vat))
        if not matches:
            return row.fail(_("Contract not found: no contract of a customer with "
                              "VAT/document %s.") % row.csv.vat)
        if len(matches) > 1:  # keep the contracts that can take this TV user
            fitting = matches.filtered(lambda contract: self._fits(contract, row.product))
            if len(fitting) != 1:
                return row.fail(_("%(count)d contracts belong to the customer with "
                                  "VAT/document %(vat)s: give the contract reference instead.")
                                % {"count": len(matches), "vat": row.csv.vat})
            matches = fitting
        row.contract = matches

    def _tv_products(self, contract):
        return contract.tv_product_ids.filtered(
            lambda product: product.tv_integration_id == self.integration)

    def _fits(self, contract, product):
        products = self._tv_products(contract)
        return product in products if product else len(products) == 1

    def _check_products_on_contracts(self, rows):
        # the TV products of every contract at once (the rows' contracts were
        # found one by one: computed one by one otherwise)
        self.env["account.analytic.account"].browse(
            {row.contract.id for row in rows if row.pending}).mapped("tv_product_ids")
        for row in rows:
            if not row.pending:
                continue
            products = self._tv_products(row.contract)
            if row.product and row.product not in products:
                row.fail(_('The product "%(product)s" is not a TV/Streaming line of contract '
                           '%(contract)s.') % {"product": row.product.display_name,
                                               "contract": row.contract.display_name})
            elif not row.product and not products:
                row.fail(_("Contract %s has no TV/Streaming line of this TV integration.")
                         % row.contract.display_name)
            elif not row.product and len(products) > 1:
                row.fail(_("Contract %(contract)s has several TV products (%(products)s): fill "
                           "the product column.")
                         % {"contract": row.contract.display_name,
                            "products": ", ".join(products.mapped("display_name"))})
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
            return row.fail(_("The login %(login)s is already linked to the TV user of "
                              "contract %(contract)s.")
                            % {"login": row.login, "contract": user.contract_id.display_name})
        if not user.account_number:
            return row.fail(_("Contract %(contract)s already has a TV user with the login "
                              "%(login)s that is not on Olé TV yet: let its sync finish or "
                              "delete it.")
                            % {"contract": row.contract.display_name, "login": row.login})
        if row.account and row.account != user.account_number:
            return row.fail(_("The TV user %(login)s is linked to account %(account)s, not "
                              "%(file_account)s.") % {"login": row.login,
                                                      "account": user.account_number,
                                                      "file_account": row.account})
        row.tv_user, row.status = user, ALREADY_LINKED
        if row.product and row.product != user.product_id:
            row.reason = _("Already linked with the product %(product)s (the file says "
                           "%(file_product)s); not changed.") % {
                               "product": user.product_id.display_name,
                               "file_product": row.product.display_name}

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
                            % self.integration._platform_error_message(exc)) from exc

    @staticmethod
    def _batch_read(client, rows):
        accounts = [row.account for row in rows if row.account]
        if not accounts:
            return {}
        return {subscriber.account_number: subscriber
                for subscriber in client.get_subscribers(accounts).subscribers}

    def _match_subscriber(self, client, row, subscriber):
        if not (subscriber and subscriber.login.lower() == row.login):
            subscriber = client.find_subscriber_by_login(row.login)
            if not subscriber:
                return row.fail(_("The login %s is unknown on Olé TV.") % row.login)
            if row.account and subscriber.account_number != row.account:
                return row.fail(_("On Olé TV the login %(login)s is account %(account)s, not "
                                  "%(file_account)s.") % {"login": row.login,
                                                          "account": subscriber.account_number,
                                                          "file_account": row.account})
        if subscriber.status not in ole.STATUSES:
            return row.fail(_("On Olé TV the login %(login)s has a status the addon does not "
                              "know (%(status)s): check it on the Olé TV panel.")
                            % {"login": row.login, "status": subscriber.status})
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
                row.fail(_("Account %(account)s is already linked to the TV user %(login)s of "
                           "contract %(contract)s.")
                         % {"account": user.account_number, "login": user.login,
                            "contract": user.contract_id.display_name})

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
                row.reason = _("The packages on Olé TV (%(platform)s) differ from the "
                               "product's (%(product)s).") % {
                    "platform": ", ".join(
                        (subscriber.main_package,) + subscriber.additional_packages),
                    "product": ", ".join([main] + list(additional))}


class _ChosenPlanner(_LinkPlanner):
    """The plan of one subscriber whose contract and TV product the caller
    chose (the revenue assurance's Link, tv.revenue.leak): every check of a
    file's row but the look-up of its contract and product by text."""

    def __init__(self, integration, csv_error, contract, product):
        super().__init__(integration, csv_error)
        self.contract, self.product = contract, product

    def _resolve_products(self, rows):
        for row in rows:
            if row.pending and self.product:
                if self.product.tv_integration_id != self.integration:
                    row.fail(_('The TV product "%s" belongs to another TV integration.')
                             % self.product.display_name)
                else:
                    row.product = self.product

    def _resolve_contracts(self, rows):
        for row in rows:
            if row.pending:
                row.contract = self.contract


def partner_vats(partner):
    """Normalized VAT/documents of a partner and its parents."""
    vats = set()
    while partner:
        if partner.vat:
            vats.add(link_csv.normalize_vat(partner.vat))
        partner = partner.parent_id
    return vats
