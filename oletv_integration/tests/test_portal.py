# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customer portal's TV pages over real HTTP (docs/operate.md, Customer portal):
two customers with portal access and one without TV. Each status shows its
plain words and figures; nothing of another customer ever shows; over
XML-RPC a portal user reads and changes nothing of TV users or contracts."""
from datetime import datetime, timedelta

import pytz
from lxml import html

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests.common import at_install, post_install

from .portal_common import PortalHttpCase, by_class
from .security_common import RolesCase

DEFAULT_INSTRUCTIONS = "Install the Olé TV app"


class PortalFixtures(PortalHttpCase):
    """Two customers with portal access and one without TV (the customer's
    requests, test_portal_requests.py, use them too)."""

    def setUp(self):
        super().setUp()
        env = self.env
        self.integration = env["tv.integration"].with_context(
            tv_skip_connection_check=True).create({
                "name": "Olé TV portal", "environment": "homologation",
                "access_token": "tok-P", "api_login": "isp", "api_password": "pw-P"})
        main = self.package("BASIC", "Olé Básico", "main")
        hbo = self.package("HBO", "HBO Max", "additional")
        self.product = env["product.product"].create({
            "name": "Olé TV Básico + HBO", "type": "service", "is_tv_product": True,
            "tv_integration_id": self.integration.id, "tv_main_package_id": main.id,
            "tv_additional_line_ids": [(0, 0, {"package_id": hbo.id})]})
        # Lima Ltda: its contact Ana has portal access; a contract of the
        # company and one of another of its contacts are hers to see
        self.company_partner = env["res.partner"].create(
            {"name": "Lima Ltda", "is_company": True, "email": "lima@example.com"})
        ana = self.contact("Ana Lima", "ana@example.com", self.company_partner)
        branch = self.contact("Lima Filial", "filial@example.com", self.company_partner)
        self.contract = self.make_contract(self.company_partner)
        self.tv_user = self.make_tv_user(self.contract, "ana.tv@example.com")
        self.branch_user = self.make_tv_user(self.make_contract(branch), "filial.tv@example.com")
        bruno = env["res.partner"].create({"name": "Bruno Costa", "email": "bruno@example.com"})
        self.bruno_tv_user = self.make_tv_user(self.make_contract(bruno), "bruno.tv@example.com")
        carla = env["res.partner"].create({"name": "Carla Dias", "email": "carla@example.com"})
        self.ana = self.portal_user(ana, "portal-ana")
        self.bruno = self.portal_user(bruno, "portal-bruno")
        self.carla = self.portal_user(carla, "portal-carla")

    # -- fixtures --------------------------------------------------------------

    def package(self, code, name, kind):
        return self.env["tv.package"].create({
            "integration_id": self.integration.id, "code": code, "name": name, "kind": kind})

    def contact(self, name, email, parent):
        return self.env["res.partner"].create({"name": name, "email": email,
                                               "parent_id": parent.id})

    def make_contract(self, partner):
        journal = self.env["account.journal"].search([("type", "=", "sale")], limit=1)
        return self.env["account.analytic.account"].create({
            "name": "TV %s" % partner.name, "partner_id": partner.id,
            "recurring_invoices": True, "journal_id": journal.id,
            "recurring_rule_type": "monthly", "recurring_interval": 1,
            "recurring_invoice_line_ids": [(0, 0, {
                "line_type": "tv", "product_id": self.product.id, "name": self.product.name,
                "quantity": 1, "uom_id": self.product.uom_id.id, "specific_price": 79.90})]})

    def make_tv_user(self, contract, login, platform_state="active"):
        tv_user = self.env["tv.user"].with_context(tv_no_platform_sync=True).create({
            "contract_id": contract.id, "product_id": self.product.id,
            "use_main_email": False, "login": login})
        tv_user.write({"platform_state": platform_state, "sync_state": "synced",
                       "account_number": "OLE-%d" % tv_user.id})
        return tv_user

    def portal_user(self, partner, login):
        return self.env["res.users"].with_context(no_reset_password=True).create({
            "partner_id": partner.id, "login": login, "lang": "en_US",
            "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])]})

    def overdue_invoice(self, days):
        today = fields.Date.from_string(fields.Date.context_today(self.contract))
        return self.invoice_due(today - timedelta(days))

    def invoice_due(self, date_due):
        invoice = self.contract.recurring_create_invoice()
        invoice.write({"date_invoice": fields.Date.to_string(date_due - timedelta(10)),
                       "date_due": fields.Date.to_string(date_due)})
        invoice.action_invoice_open()
        return invoice

    def set_contract(self, status, block_reason=False, **extra):
        self.contract.write(dict(extra, contract_status=status, block_reason=block_reason))

    def ana_card(self, path=None):
        self.login_as(self.ana)
        response = self.get(path or "/my/tv/%d" % self.tv_user.id)
        self.assertEqual(response.status_code, 200, response.text[:500])
        return self.cards(response)[self.tv_user.id]

    def assertCard(self, card, status, label, sentence):
        self.assertEqual(card.get("data-tv-status"), status)
        self.assertEqual(self.text(card, "o_tv_status_label"), label)
        self.assertIn(sentence, self.text(card, "o_tv_status_text"))


@at_install(False)
@post_install(True)
class TestPortal(PortalFixtures):

    # -- the pages -------------------------------------------------------------

    def test_home_has_a_tv_entry_with_the_count(self):
        self.login_as(self.ana)
        response = self.get("/my")
        self.assertEqual(response.status_code, 200)
        entry = by_class(html.fromstring(response.text), "o_portal_tv_entry")
        self.assertEqual(" ".join(entry[0].text_content().split()), "2 TV")
        self.login_as(self.carla)
        self.assertNotIn('href="/my/tv"', self.get("/my").text)

    def test_list_shows_the_customer_tv_users_with_plan_and_packages(self):
        self.login_as(self.ana)
        response = self.get("/my/tv")
        self.assertEqual(response.status_code, 200)
        cards = self.cards(response)
        self.assertEqual(set(cards), {self.tv_user.id, self.branch_user.id})
        card = cards[self.tv_user.id]
        self.assertEqual(self.text(card, "o_tv_login"), "ana.tv@example.com")
        self.assertEqual(self.text(card, "o_tv_product"), "Olé TV Básico + HBO")
        self.assertEqual(self.text(card, "o_tv_main_package"), "Olé Básico")
        self.assertEqual(self.text(card, "o_tv_additional_packages"), "HBO Max")
        self.assertCard(card, "active", "Active", "Your TV is working.")
        self.assertIsNone(self.text(card, "o_tv_instructions"))
        self.assertIsNone(self.text(card, "o_tv_invoices"))

    def test_awaiting_first_access_shows_the_instructions(self):
        self.tv_user.write({"platform_state": "awaiting_activation"})
        card = self.ana_card()
        self.assertCard(card, "awaiting_first_access", "Awaiting first access",
                        "awaits your first access")
        self.assertIn(DEFAULT_INSTRUCTIONS, self.text(card, "o_tv_instructions"))
        self.tv_user.write({"platform_state": "draft"})
        card = self.ana_card()
        self.assertCard(card, "setting_up", "Being set up", "is being set up")
        self.assertIn(DEFAULT_INSTRUCTIONS, self.text(card, "o_tv_instructions"))

    def test_suspended_for_late_payment_shows_the_overdue_invoices(self):
        invoice = self.overdue_invoice(20)
        self.set_contract("blocked", "automatic")
        card = self.ana_card()
        self.assertCard(card, "suspended_payment", "Suspended for late payment",
                        "suspended because of overdue invoices")
        rows = [row for row in card.xpath(".//tr") if "o_tv_invoice" in row.get("class", "")]
        self.assertEqual(len(rows), 1)
        number_cell = rows[0].xpath(".//td[contains(@class, 'o_tv_invoice_number')]")[0]
        number, phone_button = number_cell.xpath(".//a")
        self.assertEqual(number.text.strip(), invoice.number)
        # on a phone the pay button sits under the number (its column is hidden)
        self.assertEqual(phone_button.get("href"), number.get("href"))
        due = fields.Date.from_string(invoice.date_due)
        self.assertEqual(self.text(rows[0], "o_tv_invoice_due"), due.strftime("%m/%d/%Y"))
        self.assertIn("79.90", self.text(rows[0], "o_tv_invoice_amount"))
        link = rows[0].xpath(".//a")[0].get("href")
        self.assertEqual(link, "/my/invoices/%d" % invoice.id)
        self.assertIsNone(self.text(card, "o_tv_instructions"))
        # the link opens the account module's invoice page for this customer
        page = self.get(link)
        self.assertEqual(page.status_code, 200)
        self.assertIn(invoice.number, page.text)

    def test_late_notice_and_reduced_access_show_the_invoices(self):
        invoice = self.overdue_invoice(8)
        self.set_contract("late_notice", "automatic")
        card = self.ana_card()
        if self.contract.tv_access == "blocked":
            self.assertCard(card, "suspended_payment", "Suspended for late payment",
                            "overdue invoices")
        else:  # the delinquency policy makes the late notice a notice only
            self.assertCard(card, "late_notice", "Payment overdue", "Your TV still works")
        self.assertIn(invoice.number, self.text(card, "o_tv_invoices"))
        self.set_contract("reduced", "automatic")
        card = self.ana_card()
        self.assertCard(card, "reduced", "Reduced access", "only the main package is available")
        self.assertEqual(self.text(card, "o_tv_additional_packages"),
                         "HBO Max (unavailable while the access is reduced)")
        self.assertIn(invoice.number, self.text(card, "o_tv_invoices"))

    def test_overdue_from_the_company_day_not_the_customer_time_zone(self):
        """An invoice is overdue from the contract company's day, whatever
        the customer's own time zone (the request's) says."""
        self.contract.company_id.partner_id.tz = "Pacific/Kiritimati"  # UTC+14
        self.ana.tz = "Pacific/Pago_Pago"  # UTC-11: always a day or two behind
        company_day = self.contract._tv_company_today(self.contract.company_id)
        customer_day = datetime.now(pytz.timezone("Pacific/Pago_Pago")).date()
        self.assertLess(customer_day, company_day)
        # due on the customer's today: already past due on the company's
        invoice = self.invoice_due(customer_day)
        self.set_contract("blocked", "automatic")
        card = self.ana_card()
        self.assertCard(card, "suspended_payment", "Suspended for late payment",
                        "overdue invoices")
        self.assertIn(invoice.number, self.text(card, "o_tv_invoices") or "")

    def test_blocked_by_the_isp_suspended_on_request_and_cancelled(self):
        self.set_contract("blocked", "manual")
        self.assertCard(self.ana_card(), "blocked_isp", "Blocked by your provider",
                        "blocked by your provider")
        self.set_contract("suspended", tv_suspended_until="2031-07-15")
        card = self.ana_card()
        self.assertCard(card, "suspended_request", "Suspended on your request",
                        "suspended, as you asked, until 07/15/2031")
        self.set_contract("deactivated")
        self.assertCard(self.ana_card(), "cancelled", "Cancelled", "has been cancelled")

    def test_portuguese_customer_reads_portuguese(self):
        self.ana.lang = "pt_BR"
        self.set_contract("suspended", tv_suspended_until="2031-07-15")
        self.login_as(self.ana)
        response = self.get("/my/tv/%d" % self.tv_user.id)
        self.assertEqual(response.url, self.base_url + "/pt_BR/my/tv/%d" % self.tv_user.id)
        card = self.cards(response)[self.tv_user.id]
        self.assertEqual(self.text(card, "o_tv_status_label"), "Suspensa a seu pedido")
        self.assertIn("15/07/2031", self.text(card, "o_tv_status_text"))

    # -- nothing of other customers ---------------------------------------------

    def test_other_customers_tv_users_are_never_shown(self):
        self.login_as(self.bruno)
        response = self.get("/my/tv")
        self.assertEqual(set(self.cards(response)), {self.bruno_tv_user.id})
        self.assertNotIn("ana.tv@example.com", response.text)
        for other in (self.tv_user, self.branch_user):
            response = self.get("/my/tv/%d" % other.id)
            self.assertEqual(response.status_code, 404)
            self.assertNotIn(other.login, response.text)
        self.assertEqual(self.get("/my/tv/999999999").status_code, 404)

    def test_customer_without_tv_sees_no_tv_service(self):
        self.login_as(self.carla)
        response = self.get("/my/tv")
        self.assertEqual(response.status_code, 200)
        self.assertFalse(self.cards(response))
        self.assertIn("You have no TV service with us.", response.text)
        self.assertEqual(self.get("/my/tv/%d" % self.tv_user.id).status_code, 404)

    def test_anonymous_visitor_is_sent_to_the_login(self):
        self.anonymous()
        for path in ("/my/tv", "/my/tv/%d" % self.tv_user.id):
            response = self.get(path, allow_redirects=False)
            self.assertIn(response.status_code, (302, 303))
            self.assertIn("/web/login", response.headers["Location"])

    # -- XML-RPC as a portal user -------------------------------------------------

    def test_portal_user_reads_and_changes_nothing_over_rpc(self):
        rpc = RolesCase.rpc
        calls = [
            ("tv.user", "search_read", [[]], {"fields": ["login"]}),
            ("tv.user", "read", [self.tv_user.ids, ["login"]], {}),
            ("tv.user", "read", [self.bruno_tv_user.ids, ["login"]], {}),
            ("tv.user", "write", [self.tv_user.ids, {"login": "x@example.com"}], {}),
            ("tv.user", "create", [{"contract_id": self.contract.id,
                                    "product_id": self.product.id, "login": "y@example.com"}],
             {}),
            ("tv.user", "unlink", [self.tv_user.ids], {}),
            ("tv.user", "action_sync_now", [self.tv_user.ids], {}),
            ("account.analytic.account", "read", [self.contract.ids, ["contract_status"]], {}),
            ("account.analytic.account", "search_read", [[]], {"fields": ["name"]}),
            ("account.analytic.account", "write", [self.contract.ids, {"name": "Mine"}], {}),
            ("account.analytic.account", "action_contract_release", [self.contract.ids], {}),
            ("tv.integration", "read", [self.integration.ids, ["access_instructions"]], {}),
        ]
        for model, method, args, kwargs in calls:
            with self.subTest(model=model, method=method), self.assertRaises(AccessError):
                rpc(self.ana, model, method, *args, **kwargs)
        # mail's self-subscription needs read access: refused quietly
        self.assertFalse(rpc(self.ana, "tv.user", "message_subscribe", self.tv_user.ids,
                             [self.ana.partner_id.id]))
        self.assertEqual(self.tv_user.login, "ana.tv@example.com")
        self.assertEqual(self.contract.name, "TV Lima Ltda")
        self.assertNotIn(self.ana.partner_id, self.tv_user.message_partner_ids)
