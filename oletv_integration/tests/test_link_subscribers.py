# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Linking subscribers that already exist on Olé TV from a CSV: the pure
CSV reader, then the plan / apply / re-run against a live sandbox seeded
with pre-existing subscribers, the wizard, the XML-RPC method, and the
1,000-row timing."""
import base64
import logging
import time
import xmlrpc.client
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.tests.common import TransactionCase, at_install, post_install

from ..core import link_csv
from ..services.convergence import Outcomes
from .common import SandboxCase

_logger = logging.getLogger(__name__)

HEADER = "contract;vat;login;account_number;product"
N_CUSTOMERS = 280


def csv_text(rows, header=HEADER):
    return "\n".join([header] + [";".join(row) for row in rows]) + "\n"


def cpf(number):
    """A valid CPF (its two check digits computed) for each number."""
    digits = "%09d" % (100000000 + number)
    for weight in (10, 11):
        total = sum(int(digit) * (weight - index) for index, digit in enumerate(digits))
        digits += str(total * 10 % 11 % 10)
    return "%s.%s.%s-%s" % (digits[:3], digits[3:6], digits[6:9], digits[9:])


@at_install(False)
@post_install(True)
class TestLinkCsvReader(TransactionCase):
    """link_csv has no Odoo import; TransactionCase only to run under pytest-odoo."""

    def test_semicolons_aliases_bom_and_line_numbers(self):
        data = ("\ufeffContrato;CPF/CNPJ;E-mail;Conta;Produto\n"
                "CT-1;123.456.789-09;Ana@Example.com;OLE-000001;TVB\n"
                "\n"
                "CT-2;;bob@example.com;;\n").encode("utf-8")
        rows = link_csv.parse(data)
        self.assertEqual([row.row for row in rows], [2, 4])
        self.assertEqual(rows[0].login, "ana@example.com")
        self.assertEqual((rows[0].contract, rows[0].vat, rows[0].account, rows[0].product),
                         ("CT-1", "123.456.789-09", "OLE-000001", "TVB"))
        self.assertIsNone(rows[1].error)

    def test_comma_tab_and_windows_1252(self):
        rows = link_csv.parse("contract,login\n\"Contrato, São Paulo\",a@example.com\n"
                              .encode("cp1252"))
        self.assertEqual(rows[0].contract, "Contrato, São Paulo")
        rows = link_csv.parse("vat\ttv_login\n111\tb@example.com\n")
        self.assertEqual((rows[0].vat, rows[0].login), ("111", "b@example.com"))

    def test_row_errors(self):
        rows = link_csv.parse("contract,login,product\nCT-1,a@example.com\nCT-2,,TVB\n"
                              ",c@example.com,TVB\nCT-4,d@example.com,TVB,extra\n")
        self.assertEqual([(row.error, row.error_args) for row in rows], [
            (link_csv.ERR_COLUMNS, (3, 2)), (link_csv.ERR_NO_LOGIN, ()),
            (link_csv.ERR_NO_CONTRACT, ()), (link_csv.ERR_COLUMNS, (3, 4))])

    def test_header_errors(self):
        for text, code in (("", link_csv.ERR_EMPTY), ("\n \n", link_csv.ERR_EMPTY),
                           ("contract,account\nCT,1\n", link_csv.ERR_NO_LOGIN_COLUMN),
                           ("login,product\na@example.com,X\n", link_csv.ERR_NO_CONTRACT_COLUMN),
                           ("login,email,contract\n", link_csv.ERR_DUPLICATE_COLUMN)):
            with self.assertRaises(link_csv.CsvFileError) as raised:
                link_csv.parse(text)
            self.assertEqual(raised.exception.code, code, text)

    def test_normalize_vat(self):
        self.assertEqual(link_csv.normalize_vat(" 123.456.789-09 "), "12345678909")
        self.assertEqual(link_csv.normalize_vat("12.345.678/0001-95"), "12345678000195")


class LinkSandboxCase(SandboxCase):
    """SandboxCase with helpers to seed customers and subscribers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tv_product.default_code = "TVB"
        cls.tv_product_box.default_code = "TVF"

    @classmethod
    def make_customer(cls, number, tv_products, status="active", plain_products=()):
        """A customer and its contract, without chatter (set-up speed only)."""
        env = cls.env
        cls.env = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True,
                                   mail_create_nosubscribe=True, mail_notrack=True))
        try:
            partner = cls.env["res.partner"].create({
                "name": "Cliente %04d" % number, "email": "cliente%04d@example.com" % number,
                "vat": cpf(number).replace(".", "").replace("-", "")})
            contract = cls.make_contract(partner, tv_products, plain_products)
            contract.write({"code": "CT-%04d" % number})
            if status != "active":
                contract.write({"contract_status": status})
        finally:
            cls.env = env
        return contract.with_env(env)

    def seed(self, login, product, status="active", **extra):
        main, additional = product.product_tmpl_id.tv_package_codes()
        body = dict(login=login, main_package=main, additional_packages=additional,
                    status=status)
        body.update(extra)
        return self.sandbox.seed_subscriber(**body)["account_number"]

    def platform(self):
        return {s["account_number"]: s for s in self.sandbox.state()["subscribers"]}

    def run_sync_jobs(self):
        """The TV users' sync runs in queue_job jobs: the wake-ups, then the
        successor a wake-up queues for what its claim left."""
        self.run_jobs(rounds=3)

    def link(self, text, dry_run=True):
        return self.integration.link_existing_subscribers(text, dry_run=dry_run)


class TestLinkSubscribers(LinkSandboxCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        products = (cls.tv_product, cls.tv_product_box)
        cls.customers = [cls.make_customer(number, [products[number % 2]],
                                           "blocked" if number % 10 == 7 else "active")
                         for number in range(N_CUSTOMERS)]
        cls.tv_premium = cls.make_tv_product("TV Premium", cls.pkg_family)
        cls.tv_premium.default_code = "TVP"
        cls.plain_product.default_code = "NET300"
        cls.two_tv = cls.make_customer(9001, [cls.tv_product, cls.tv_product_box])
        cls.no_tv = cls.make_customer(9002, [], plain_products=[cls.plain_product])
        cls.spare = cls.make_customer(9003, [cls.tv_product])
        cls.other = cls.make_customer(9004, [cls.tv_product])
        # one customer (one VAT) with two contracts
        cls.twin_a = cls.make_customer(9005, [cls.tv_product])
        cls.twin_b = cls.make_contract(cls.twin_a.partner_id, [cls.tv_product_box])
        cls.twin_b.write({"code": "CT-9005-B"})

    def setUp(self):
        super().setUp()
        self.expected = {}  # row number -> (status, words of the reason)
        self.accounts = {}  # row number -> account seeded for a valid row
        rows = []
        products = (self.tv_product, self.tv_product_box)
        for number, contract in enumerate(self.customers):
            product = products[number % 2]
            status = ("awaiting_activation", "active", "blocked")[number % 3]
            login = ("cliente%04d@example.com" if number % 5 else "TV.Cliente%04d@Example.com") \
                % number
            account = self.seed(login.lower(), product, status)
            variant = number % 4
            if variant == 0:    # reference, account, product code
                row = [contract.code, "", login, account, product.default_code]
            elif variant == 1:  # contract name, product name
                row = [contract.name, "", login, "", product.name]
            elif variant == 2:  # formatted VAT, account, no product
                row = ["", cpf(number), login, account, ""]
            else:               # reference only
                row = [contract.code, "", login, "", ""]
            rows.append(row)
            self.accounts[len(rows) + 1] = account
            self.expected[len(rows) + 1] = ("link", "")

        self.seed("orphan@example.com", self.tv_product)
        self.seed("mismatch@example.com", self.tv_product)
        other_account = self.seed("other@example.com", self.tv_product)
        # linked in Odoo to other.contract: the same login elsewhere is refused
        self.seed_odoo_user(self.other, "taken@example.com",
                            self.seed("taken@example.com", self.tv_product))
        # Odoo already knows this account under the login it had before
        moved = self.seed("renamed@example.com", self.tv_product)
        self.seed_odoo_user(self.other, "before-rename@example.com", moved)
        self.seed("twin@example.com", self.tv_product_box)
        self.seed("spare@example.com", self.tv_product)
        spare = self.spare.code
        errors = [
            (["CT-NOPE", "", "orphan@example.com", "", ""], "error", "Contract not found"),
            (["", cpf(99999), "orphan@example.com", "", ""], "error", "Contract not found"),
            (["", "123.456.789-00", "bad.document@example.com", "", ""], "error",
             "is not a valid CPF"),
            ([spare, "", "nobody@example.com", "", ""], "error", "unknown on Olé TV"),
            ([spare, "", "orphan@example.com", other_account, ""], "error", "not " + other_account),
            ([spare, "", "mismatch@example.com", "OLE-999999", ""], "error", "not OLE-999999"),
            ([spare, "", "taken@example.com", "", ""], "error", "already linked to the TV user"),
            ([spare, "", "renamed@example.com", "", ""], "error", "already linked to the TV user"),
            ([spare, "", "orphan@example.com", "", "NET300"], "error", "not a TV product"),
            ([spare, "", "orphan@example.com", "", "TVP"], "error", "not a TV/Streaming line"),
            ([spare, "", "orphan@example.com", "", "NOPE"], "error", "No product"),
            ([self.two_tv.code, "", "orphan@example.com", "", ""], "error", "several TV products"),
            ([self.no_tv.code, "", "orphan@example.com", "", ""], "error", "no TV/Streaming line"),
            ([spare, "", "not-an-email", "", ""], "error", "not a valid e-mail"),
            ([spare, "", "", "", ""], "error", "login is empty"),
            (["", "", "orphan@example.com", "", ""], "error", "neither a contract"),
            ([spare, "", "orphan@example.com"], "error", "5 columns expected, 3 found"),
            ([spare, cpf(1), "orphan@example.com", "", ""], "error", "does not have the VAT"),
            (["", cpf(9005), "twin@example.com", "", ""], "error", "2 contracts belong"),
            (["", cpf(9005), "twin@example.com", "", "TVF"], "link", "twin"),
            (["", cpf(9005), "twin@example.com", "", "TVF"], "error", "already on row"),
            ([spare, "", "spare@example.com", "", ""], "link", ""),
        ]
        for row, status, words in errors:
            rows.append(row)
            self.expected[len(rows) + 1] = (status, words)
        self.twin_line = len(rows) - 1  # the linkable twin row
        self.text = csv_text(rows)

    def seed_odoo_user(self, contract, login, account):
        user = self.env["tv.user"].with_context(tv_no_platform_sync=True).create({
            "contract_id": contract.id, "product_id": self.tv_product.id,
            "use_main_email": False, "login": login})
        with self.integration._client() as client:
            Outcomes(user).apply_subscriber(client.get_subscriber(account))
        return user

    def assert_outcomes(self, results, linked_status):
        self.assertEqual(len(results), len(self.expected))
        for result in results:
            status, words = self.expected[result["row"]]
            status = linked_status if status == "link" else status
            self.assertEqual(result["status"], status, result)
            if status == "error":
                self.assertIn(words, result["reason"], result)
                self.assertFalse(result["tv_user_id"])

    def test_dry_run_reports_every_case_and_writes_nothing(self):
        users_before = self.env["tv.user"].search_count([])
        platform_before = self.platform()
        requests_before = self.sandbox.stats()["total_requests"]
        results = self.link(self.text)
        self.assert_outcomes(results, "link")
        by_row = {result["row"]: result for result in results}
        self.assertEqual(by_row[2]["account_number"], self.accounts[2])
        self.assertEqual(by_row[3]["account_number"], self.accounts[3], "found by login")
        self.assertEqual(by_row[4]["product_id"], self.tv_product.id, "the only TV product")
        self.assertEqual(by_row[5]["contract_id"], self.customers[3].id)
        self.assertEqual(self.env["tv.user"].search_count([]), users_before)
        self.assertEqual(self.platform(), platform_before)
        # batch reads for the rows with an account number: fewer calls than rows
        calls = self.sandbox.stats()["total_requests"] - requests_before
        self.assertLess(calls, len(results) * 3 // 4)
        xmlrpc.client.dumps((results,), methodresponse=True)  # no None for XML-RPC

    def test_apply_links_then_the_rerun_changes_nothing(self):
        results = self.link(self.text, dry_run=False)
        self.assert_outcomes(results, "linked")
        linked = [result for result in results if result["status"] == "linked"]
        self.assertEqual(len(linked), N_CUSTOMERS + 2)
        platform = self.platform()
        for result in linked:
            user = self.env["tv.user"].browse(result["tv_user_id"])
            self.assertEqual(user.account_number, result["account_number"])
            self.assertEqual(user.login, result["login"])
            self.assertEqual(user.contract_id.id, result["contract_id"])
            self.assertEqual(user.product_id.id, result["product_id"])
            self.assertEqual(user.platform_state, platform[user.account_number]["status"])
            self.assertEqual(platform[user.account_number]["login"], user.login)
        first = self.env["tv.user"].browse(results[0]["tv_user_id"])
        self.assertEqual((first.login, first.account_number, first.use_main_email),
                         ("tv.cliente0000@example.com", self.accounts[2], False))
        # one chatter message per linked TV user, the link's (no tracking
        # message: 50,000 of them in a migration)
        self.assertEqual(len(first.message_ids), 1)
        self.assertIn("Linked to the existing Olé TV subscriber", first.message_ids.body)
        # a sync only where the platform differs from what the contract asks
        # for: customer 1's contract is active like its subscriber, customer
        # 7's is blocked and its subscriber active
        by_contract = {user.contract_id: user for user in self.env["tv.user"].browse(
            [result["tv_user_id"] for result in linked])}
        self.assertEqual(by_contract[self.customers[1]].sync_state, "synced")
        self.assertEqual(by_contract[self.customers[7]].platform_state, "active")
        self.assertEqual(by_contract[self.customers[7]].sync_state, "pending")
        second = self.env["tv.user"].browse(results[1]["tv_user_id"])
        self.assertEqual((second.login, second.use_main_email), ("cliente0001@example.com", True))
        twin = [r for r in results if r["row"] == self.twin_line][0]
        self.assertEqual(self.env["tv.user"].browse(twin["tv_user_id"]).contract_id, self.twin_b)

        users_count = self.env["tv.user"].search_count(
            [("integration_id", "=", self.integration.id)])
        jobs_count = self.env["queue.job"].search_count([])
        snapshot = self.platform()
        again = self.link(self.text)
        self.assertEqual([r["status"] for r in again],
                         ["already_linked" if r["status"] == "linked" else r["status"]
                          for r in results])
        again = self.link(self.text, dry_run=False)
        self.assert_outcomes(again, "already_linked")
        self.assertEqual([r["tv_user_id"] for r in again if r["status"] == "already_linked"],
                         [r["tv_user_id"] for r in linked])
        self.assertEqual(self.env["tv.user"].search_count(
            [("integration_id", "=", self.integration.id)]), users_count)
        self.assertEqual(self.env["queue.job"].search_count([]), jobs_count)
        self.assertEqual(self.platform(), snapshot)

    def test_contract_status_drives_the_linked_users_access(self):
        # the first 30 customers: every seeded status on active and blocked contracts
        lines = self.text.splitlines()
        results = self.link("\n".join(lines[:31]), dry_run=False)
        self.assertEqual({r["status"] for r in results}, {"linked"})
        self.run_sync_jobs()
        platform = self.platform()
        users = self.env["tv.user"].browse([r["tv_user_id"] for r in results if r["tv_user_id"]])
        checked = set()
        for user in users.filtered(lambda u: u.contract_id in self.customers):
            number = self.customers.index(user.contract_id)
            seeded = ("awaiting_activation", "active", "blocked")[number % 3]
            blocked_contract = number % 10 == 7
            remote = platform[user.account_number]["status"]
            if seeded == "awaiting_activation":
                expected = "awaiting_activation"  # the wish waits for the first access
            else:
                expected = "blocked" if blocked_contract else "active"
            self.assertEqual(remote, expected, (number, seeded))
            self.assertEqual(user.platform_state, expected)
            self.assertEqual(user.desired_access, "blocked" if blocked_contract else "allowed")
            checked.add((seeded, blocked_contract))
        # active on a blocked contract -> blocked; blocked on an active one -> released
        self.assertEqual(checked, {(seeded, blocked) for seeded in
                                   ("awaiting_activation", "active", "blocked")
                                   for blocked in (True, False)})

    def test_a_failure_while_applying_links_nothing(self):
        tv_user_class = type(self.env["tv.user"])
        original = tv_user_class.create
        victim = "cliente%04d@example.com" % (N_CUSTOMERS - 1)

        def failing(model, vals):
            if vals.get("login") == victim:
                raise UserError("platform exploded")  # pylint: disable=translation-required
            return original(model, vals)

        before = self.env["tv.user"].search_count([])
        with patch.object(tv_user_class, "create", failing), \
                self.assertRaises(UserError) as raised:
            self.link(self.text, dry_run=False)
        self.assertIn("Nothing was linked", raised.exception.name)
        self.assertIn("row %d" % (N_CUSTOMERS + 1), raised.exception.name)
        self.assertIn("platform exploded", raised.exception.name)
        self.assertEqual(self.env["tv.user"].search_count([]), before)
        self.assertFalse(self.env["tv.user"].search([("login", "=", "cliente0001@example.com")]))
        # and the next attempt links them all
        results = self.link(self.text, dry_run=False)
        self.assertEqual(len([r for r in results if r["status"] == "linked"]), N_CUSTOMERS + 2)

    def test_equipment_macs_technology_and_package_difference(self):
        box = self.seed("box@example.com", self.tv_product_box, technology="ott",
                        equipment="STB-X1", mac_devices=["00-1a-2b-3c-4d-5e"])
        self.seed("family@example.com", self.tv_product_box)  # FAMILY on a BASIC product
        results = self.link(csv_text([[self.twin_b.code, "", "box@example.com", box, ""],
                                      [self.spare.code, "", "family@example.com", "", ""]]),
                            dry_run=False)
        self.assertEqual([r["status"] for r in results], ["linked", "linked"])
        self.assertEqual(results[0]["reason"], "")
        self.assertIn("differ from the product's (BASIC)", results[1]["reason"])
        user = self.env["tv.user"].browse(results[0]["tv_user_id"])
        self.assertEqual((user.technology, user.equipment_model_id.code, user.mac_devices),
                         ("ott", "STB-X1", "00:1A:2B:3C:4D:5E"))

    def test_unreadable_file_and_platform_down(self):
        with self.assertRaises(UserError) as raised:
            self.link("contract;account_number\nCT-0001;OLE-000001\n")
        self.assertIn("no login column", raised.exception.name)
        self.sandbox.set_faults(down=True)
        with self.assertRaises(UserError) as raised:
            self.link(self.text)
        self.assertIn("nothing was linked", raised.exception.name)

    def test_only_managers_link(self):
        clerk = self.env["res.users"].create({
            "name": "TV clerk", "login": "tv-clerk",
            "groups_id": [(6, 0, [self.env.ref("oletv_integration.group_tv_user").id])]})
        with self.assertRaises(AccessError):
            self.integration.sudo(clerk).link_existing_subscribers(self.text)

    def test_wizard_preview_then_confirm(self):
        text = csv_text([[self.customers[0].code, "", "tv.cliente0000@example.com", "", ""],
                         [self.customers[1].code, "", "cliente0001@example.com", "", "TVP"]])
        wizard = self.env["tv.link.subscribers.wizard"].with_context(
            active_model="tv.integration", active_id=self.integration.id).create({
                "csv_file": base64.b64encode(text.encode("utf-8")), "csv_filename": "old.csv"})
        self.assertEqual(wizard.integration_id, self.integration)
        action = wizard.action_preview()
        self.assertEqual((action["res_model"], action["res_id"]), (wizard._name, wizard.id))
        self.assertEqual(wizard.state, "preview")
        self.assertEqual(wizard.line_ids.mapped("status"), ["link", "error"])
        self.assertEqual((wizard.link_count, wizard.error_count), (1, 1))
        self.assertEqual(wizard.line_ids[0].contract_id, self.customers[0])
        self.assertEqual(wizard.line_ids[0].row, 2)
        self.assertIn("not a TV/Streaming line", wizard.line_ids[1].reason)
        self.assertFalse(self.customers[0].tv_user_ids, "a preview writes nothing")

        wizard.action_confirm()
        self.assertEqual(wizard.state, "done")
        self.assertEqual(wizard.line_ids.mapped("status"), ["linked", "error"])
        user = self.customers[0].tv_user_ids
        self.assertEqual(wizard.line_ids[0].tv_user_id, user)
        self.assertEqual(user.account_number, self.accounts[2])
        self.assertIn("Linked to the existing Olé TV subscriber",
                      " ".join(user.message_ids.mapped("body")))
        with self.assertRaises(UserError):  # nothing left to link
            wizard.action_confirm()

    def test_views(self):
        arch = self.env["tv.link.subscribers.wizard"].fields_view_get(view_type="form")["arch"]
        self.assertIn("action_confirm", arch)
        arch = self.env["tv.integration"].fields_view_get(view_type="form")["arch"]
        action = self.env.ref("oletv_integration.action_tv_link_subscribers")
        self.assertIn('name="%d"' % action.id, arch)
        self.assertEqual(action.binding_model_id.model, "tv.integration")

    def test_link_1000_rows(self):
        """1,000 rows spread over the set-up contracts: 500 with the account
        number (batch read), 500 without (one look-up by login each). Prints
        the time; asserts only the outcomes."""
        rows = []
        for number in range(1000):
            contract = self.customers[number % N_CUSTOMERS]
            product = contract.tv_product_ids
            login = "bench%04d@example.com" % number
            account = self.seed(login, product, ("active", "blocked")[number % 2])
            rows.append([contract.code, "", login, account if number % 2 else "",
                         product.default_code])
        text = csv_text(rows)
        requests_before = self.sandbox.stats()["total_requests"]
        started = time.monotonic()
        preview = self.link(text)
        dry_run_seconds = time.monotonic() - started
        started = time.monotonic()
        results = self.link(text, dry_run=False)
        apply_seconds = time.monotonic() - started
        requests = self.sandbox.stats()["total_requests"] - requests_before
        self.assertEqual({r["status"] for r in preview}, {"link"})
        self.assertEqual(len([r for r in results if r["status"] == "linked"]), 1000)
        self.assertEqual(self.env["tv.user"].search_count([("login", "like", "bench%")]), 1000)
        message = ("oletv link benchmark: 1000 rows against the sandbox: dry run %.2f s; "
                   "dry run + link %.2f s; %d platform requests in all"
                   % (dry_run_seconds, apply_seconds, requests))
        _logger.info(message)
