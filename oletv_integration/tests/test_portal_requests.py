# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customer's own requests on the portal over real HTTP (docs/operate.md,
Customer portal): a suspension on request within the policy's rule (Anatel's
here), its early end, the access instructions again, a trust release once
where the policy offers it, the devices shown. Each request runs the
operator's checked path in the customer's name, is refused with the rule's
reason and nothing written, is confirmed by a notice, needs Odoo's CSRF
token, is one request when the same form is sent twice, is limited per
hour, and never reaches another customer's records; the new entry point
refuses a portal user over the ORM and over XML-RPC."""
from datetime import timedelta

from lxml import html

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests.common import at_install, post_install

from .security_common import RolesCase
from .test_portal import PortalFixtures


@at_install(False)
@post_install(True)
class TestPortalRequests(PortalFixtures):

    def setUp(self):
        super().setUp()
        policies = self.env["tv.delinquency.policy"]
        company = self.contract.company_id
        self.policy = policies._for_company(company) or policies.create(
            {"company_id": company.id})
        self.policy.write({"suspension_preset": "anatel", "suspension_min_days": 30,
                           "suspension_max_days": 120, "suspension_max_count": 1,
                           "suspension_up_to_date": True, "portal_trust_release": False})
        self.today = self.contract._tv_today()
        self.path = "/my/tv/%d" % self.tv_user.id

    # -- helpers ---------------------------------------------------------------------

    def day(self, offset):
        return fields.Date.to_string(self.today + timedelta(days=offset))

    def page(self, user=None, path=None):
        self.login_as(user or self.ana)
        response = self.get(path or self.path)
        self.assertEqual(response.status_code, 200, response.text[:500])
        return html.fromstring(response.text)

    @staticmethod
    def form_tokens(tree, form_class=None):
        """The tokens of the form of that class (None: of any request form)."""
        form = tree.xpath("//form[contains(@class, '%s')]" % form_class if form_class
                          else "//div[contains(@class, 'o_tv_requests')]//form")
        assert form, "no form %s on the page" % form_class
        return {name: form[0].xpath(".//input[@name='%s']/@value" % name)[0]
                for name in ("csrf_token", "request_token")}

    def submit(self, action, form_class, data=None, user=None, tree=None, path=None):
        """Open the page as `user`, fill the form and send it; the page the
        browser is sent back to (a tree) and the raw response."""
        tree = tree if tree is not None else self.page(user)
        values = dict(self.form_tokens(tree, form_class), **(data or {}))
        response = self.post((path or self.path) + "/" + action, values)
        return response, values

    def notice(self, response):
        self.assertEqual(response.status_code, 200, response.text[:500])
        found = html.fromstring(response.text).xpath(
            "//*[contains(@class, 'o_tv_request_notice')]")
        self.assertTrue(found, "no notice on the page")
        return found[0].get("data-state"), " ".join(found[0].text_content().split())

    def suspensions(self):
        return self.env["tv.request.suspension"].search([("contract_id", "=", self.contract.id)])

    def rows(self):
        return self.env["tv.portal.request"].search([("contract_id", "=", self.contract.id)])

    def mails(self, kind):
        return self.env["mail.mail"].search([("tv_notice", "=", kind),
                                             ("model", "=", "account.analytic.account"),
                                             ("res_id", "=", self.contract.id)])

    def messages_by(self, partner):
        return self.env["mail.message"].search([
            ("model", "=", "account.analytic.account"), ("res_id", "=", self.contract.id),
            ("author_id", "=", partner.id)])

    def suspend(self, first, last, user=None):
        return self.submit("suspend", "o_tv_suspend_form",
                           {"date_from": self.day(first), "date_to": self.day(last)}, user=user)

    # -- suspension on request -----------------------------------------------------------

    def test_suspension_asked_seen_and_confirmed(self):
        tree = self.page()
        self.assertIn("from 30 to 120 days, once in 12 months",
                      self.text(tree, "o_tv_suspension_rule"))
        self.assertEqual(self.text(tree, "o_tv_days_left_count"), "120")
        response, _values = self.suspend(1, 30)
        state, text = self.notice(response)
        self.assertEqual(state, "done", text)
        suspension = self.suspensions()
        self.assertEqual((len(suspension), suspension.state, suspension.days,
                          suspension.user_id), (1, "scheduled", 30, self.ana))
        self.assertEqual(self.contract.contract_status, "active", "it starts tomorrow")
        # the chatter names the customer; the log and the notice confirm it
        self.assertIn("Suspension on request registered",
                      " ".join(self.messages_by(self.ana.partner_id).mapped("body")))
        self.assertEqual(self.rows().mapped("state"), ["done"])
        self.assertNotIn(self.ana.partner_id, self.contract.message_partner_ids,
                         "the customer does not follow the back office's chatter")
        mail = self.mails("request")
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.contract.partner_id)
        self.assertIn("30 days", mail.body_html)
        # seen on the page, with the days left
        tree = html.fromstring(response.text)
        rows = tree.xpath("//*[contains(@class, 'o_tv_suspension_row')]")
        self.assertEqual([row.get("data-state") for row in rows], ["scheduled"])
        self.assertEqual(self.text(tree, "o_tv_days_left_count"), "90")
        self.assertEqual(self.text(tree, "o_tv_suspension_refusal"), None,
                         "the contract is still active: the form stays")

    def test_the_notice_is_in_the_customers_language(self):
        self.company_partner.lang = "pt_BR"
        response, _values = self.suspend(1, 30)
        self.assertEqual(self.notice(response)[0], "done")
        mail = self.mails("request")
        self.assertIn("recebemos o seu pedido", mail.subject)
        self.assertIn("Suspensão da sua TV de", mail.body_html)
        self.assertIn("(30 dias)", mail.body_html)

    def test_refused_by_the_rules_with_the_reason_and_nothing_written(self):
        invoice = self.overdue_invoice(3)
        response, _values = self.suspend(1, 30)
        state, text = self.notice(response)
        self.assertEqual(state, "refused")
        self.assertIn("overdue invoices", text)
        invoice.write({"date_due": self.day(5)})  # no longer overdue
        response, _values = self.suspend(1, 10)
        state, text = self.notice(response)
        self.assertEqual(state, "refused")
        self.assertIn("at least 30 days: this one has 10", text)
        self.assertFalse(self.suspensions())
        self.assertFalse(self.messages_by(self.ana.partner_id))
        self.assertFalse(self.mails("request"))
        self.assertEqual(self.rows().mapped("state"), ["refused", "refused"])

    def test_the_customer_ends_a_suspension_early(self):
        self.suspend(0, 29)  # from today: the TV is blocked at once
        suspension = self.suspensions()
        self.assertEqual((suspension.state, self.contract.contract_status),
                         ("running", "suspended"))
        self.assertEqual(self.contract.tv_status_change_ids[:1].user_id, self.ana)
        tree = self.page()
        response, _values = self.submit("end-suspension", "o_tv_end_suspension_form",
                                        {"suspension_id": suspension.id}, tree=tree)
        state, text = self.notice(response)
        self.assertEqual(state, "done", text)
        self.assertEqual((suspension.state, self.contract.contract_status), ("done", "active"))
        self.assertEqual(self.contract.tv_status_change_ids[:1].user_id, self.ana)
        self.assertIn("ended early", " ".join(
            self.messages_by(self.ana.partner_id).mapped("body")))
        self.assertEqual(len(self.mails("request")), 2, "asked, then ended")

    def test_a_scheduled_suspension_is_cancelled(self):
        self.suspend(5, 40)
        suspension = self.suspensions()
        response, _values = self.submit("end-suspension", "o_tv_end_suspension_form",
                                        {"suspension_id": suspension.id})
        self.assertEqual(self.notice(response)[0], "done")
        self.assertEqual(suspension.state, "cancelled")
        tree = html.fromstring(response.text)
        self.assertEqual(self.text(tree, "o_tv_days_left_count"), "120")

    # -- repeated, cross-site, too many -------------------------------------------------

    def test_the_same_form_sent_twice_is_one_request(self):
        response, values = self.suspend(1, 30)
        self.assertEqual(self.notice(response)[0], "done")
        again = self.post(self.path + "/suspend", values)
        state, text = self.notice(again)
        self.assertEqual(state, "repeated")
        self.assertIn("already received", text)
        self.assertEqual(len(self.suspensions()), 1)
        self.assertEqual(len(self.rows()), 1)
        self.assertEqual(len(self.mails("request")), 1)

    def test_a_post_without_the_csrf_token_is_refused(self):
        tree = self.page()
        values = self.form_tokens(tree, "o_tv_suspend_form")
        values.update(date_from=self.day(1), date_to=self.day(30))
        for forged in (dict(values, csrf_token="x"), {k: v for k, v in values.items()
                                                      if k != "csrf_token"}):
            response = self.post(self.path + "/suspend", forged)
            self.assertEqual(response.status_code, 400)
        self.anonymous()
        response = self.post(self.path + "/suspend", values, allow_redirects=False)
        self.assertNotEqual(response.status_code, 200)
        self.assertFalse(self.suspensions())
        self.assertFalse(self.rows())

    def test_requests_are_limited_per_hour(self):
        self.env["ir.config_parameter"].set_param(
            "oletv_integration.portal_requests_per_hour", "2")
        states = []
        for _attempt in range(3):
            response, _values = self.submit("resend-instructions", "o_tv_resend_form")
            states.append(self.notice(response)[0])
        self.assertEqual(states, ["done", "done", "limited"])
        self.assertEqual(len(self.rows()), 2, "the refused one is not written")
        self.assertEqual(len(self.mails("access_instructions")), 2)

    # -- resend, devices ----------------------------------------------------------------

    def test_access_instructions_sent_again(self):
        response, _values = self.submit("resend-instructions", "o_tv_resend_form")
        state, text = self.notice(response)
        self.assertEqual(state, "done", text)
        self.assertIn("ana.tv@example.com", text)
        mail = self.mails("access_instructions")
        self.assertEqual((len(mail), mail.recipient_ids), (1, self.contract.partner_id))
        self.assertTrue(self.messages_by(self.ana.partner_id))

    def test_devices_are_shown(self):
        model = self.env["tv.equipment.model"].create({
            "integration_id": self.integration.id, "code": "STB1", "name": "Olé Box 4K"})
        extra = self.package("PA", "Ponto adicional", "additional")
        extra.extra_point = True
        self.product = self.env["product.product"].create({
            "name": "Olé TV com aparelho", "type": "service", "is_tv_product": True,
            "tv_integration_id": self.integration.id,
            "tv_main_package_id": self.product.tv_main_package_id.id,
            "tv_additional_line_ids": [(0, 0, {"package_id": extra.id})]})
        tv_user = self.make_tv_user(self.make_contract(self.company_partner),
                                    "ana.box@example.com")
        tv_user.write({"equipment_model_id": model.id,
                       "mac_devices": "AA:BB:CC:DD:EE:01\nAA:BB:CC:DD:EE:02"})
        tree = self.page(path="/my/tv/%d" % tv_user.id)
        self.assertEqual(self.text(tree, "o_tv_equipment"), "Olé Box 4K")
        self.assertEqual([mac.text for mac in tree.xpath("//code[@class='o_tv_mac']")],
                         tv_user.mac_devices.split())

    # -- trust release --------------------------------------------------------------------

    def blocked_for_payment(self):
        self.overdue_invoice(20)
        self.set_contract("blocked", "automatic")

    def test_trust_release_once_where_the_policy_offers_it(self):
        self.blocked_for_payment()
        tree = self.page()
        self.assertFalse(tree.xpath("//form[contains(@class, 'o_tv_trust_release_form')]"),
                         "not offered by the policy")
        self.policy.portal_trust_release = True
        response, _values = self.submit("trust-release", "o_tv_trust_release_form")
        state, text = self.notice(response)
        self.assertEqual(state, "done", text)
        until = self.day(self.policy.trust_release_days)
        self.assertEqual((self.contract.contract_status, self.contract.trust_release_until),
                         ("active", until))
        release = self.contract.trust_release_ids
        self.assertEqual((len(release), release.user_id, release.days),
                         (1, self.ana, self.policy.trust_release_days))
        self.assertIn("Released in trust", " ".join(
            self.messages_by(self.ana.partner_id).mapped("body")))
        self.assertEqual(len(self.mails("request")), 1)
        # once for the same debt: blocked again, no second release
        self.contract._tv_end_trust_release("blocked_again")
        self.set_contract("blocked", "automatic")
        tree = self.page()
        self.assertFalse(tree.xpath("//form[contains(@class, 'o_tv_trust_release_form')]"))
        values = self.form_tokens(tree)
        state, text = self.notice(self.post(self.path + "/trust-release", values))
        self.assertEqual(state, "refused")
        self.assertIn("already used", text)
        self.assertEqual((self.contract.contract_status, len(self.contract.trust_release_ids)),
                         ("blocked", 1))

    def test_no_trust_release_of_a_block_by_the_provider(self):
        self.policy.portal_trust_release = True
        self.overdue_invoice(20)
        self.set_contract("blocked", "manual")
        tree = self.page()
        values = self.form_tokens(tree)
        state, text = self.notice(self.post(self.path + "/trust-release", values))
        self.assertEqual(state, "refused")
        self.assertIn("nothing to release", text)
        self.assertEqual(self.contract.contract_status, "blocked")
        self.assertFalse(self.contract.trust_release_ids)

    # -- another customer's records ----------------------------------------------------

    def test_another_customers_records_answer_404_and_nothing_is_written(self):
        tree = self.page(self.bruno, "/my/tv/%d" % self.bruno_tv_user.id)
        values = self.form_tokens(tree, "o_tv_suspend_form")
        values.update(date_from=self.day(1), date_to=self.day(30))
        for action in ("suspend", "end-suspension", "resend-instructions", "trust-release"):
            response = self.post(self.path + "/" + action, values)
            self.assertEqual(response.status_code, 404, action)
        # Ana's own page, Bruno's suspension in the form
        bruno_contract = self.bruno_tv_user.contract_id
        theirs = self.env["tv.request.suspension"]._tv_request(
            bruno_contract, self.today + timedelta(days=1), self.today + timedelta(days=30),
            "Trip", self.today)
        tree = self.page()
        values = dict(self.form_tokens(tree, "o_tv_suspend_form"), suspension_id=theirs.id)
        response = self.post(self.path + "/end-suspension", values)
        self.assertEqual(response.status_code, 404)
        self.assertEqual(theirs.state, "scheduled")
        self.assertFalse(self.suspensions())
        self.assertFalse(self.env["tv.portal.request"].search([]))

    # -- add-ons ----------------------------------------------------------------------------

    def addon(self, name, code, price, integration=None):
        integration = integration or self.integration
        package = self.env["tv.package"].create({
            "integration_id": integration.id, "code": code, "name": name,
            "kind": "additional"})
        return self.env["product.product"].create({
            "name": name, "type": "service", "list_price": price, "is_tv_product": True,
            "tv_product_kind": "addon", "tv_integration_id": integration.id,
            "tv_additional_line_ids": [(0, 0, {"package_id": package.id})]})

    def addon_lines(self):
        return self.contract.recurring_invoice_line_ids.filtered("tv_user_id")

    def test_the_customer_adds_then_removes_an_addon_seeing_what_it_costs(self):
        telecine = self.addon("Telecine", "TELECINE", 30.0)
        tree = self.page()
        offered = tree.xpath("//*[contains(@class, 'o_tv_addon_offered')]")
        self.assertEqual(len(offered), 1)
        self.assertIn("Telecine", offered[0].text_content())
        self.assertIn("30.00", self.text(offered[0], "o_tv_addon_price"))
        amount = self.text(offered[0], "o_tv_addon_amount")
        self.assertTrue(amount and amount != "0.00", amount)
        response, _values = self.submit("add-addon", "o_tv_addon_add_form",
                                        {"product_id": telecine.id}, tree=tree)
        state, text = self.notice(response)
        self.assertEqual(state, "done", text)
        self.assertIn("Telecine", text)
        line = self.addon_lines()
        self.assertEqual((line.product_id, line.tv_user_id, line.specific_price,
                          line.tv_addon_from),
                         (telecine, self.tv_user, 30.0, fields.Date.to_string(self.today)))
        self.assertEqual(self.tv_user.sync_state, "pending", "its packages go to the platform")
        self.assertIn("added by Ana Lima", " ".join(
            self.messages_by(self.ana.partner_id).mapped("body")))
        self.assertEqual(self.rows().mapped("kind"), ["addon_add"])
        self.assertEqual(len(self.mails("request")), 1, "confirmed by a notice")
        tree = html.fromstring(response.text)
        self.assertEqual(len(tree.xpath("//*[contains(@class, 'o_tv_addon_held')]")), 1)
        self.assertFalse(tree.xpath("//*[contains(@class, 'o_tv_addon_offered')]"))

        response, _values = self.submit("remove-addon", "o_tv_addon_remove_form",
                                        {"product_id": telecine.id}, tree=tree)
        state, text = self.notice(response)
        self.assertEqual(state, "done", text)
        self.assertFalse(self.addon_lines().filtered(lambda line: not line.tv_addon_to),
                         "no live add-on left (never charged: deleted)")
        self.assertEqual(sorted(self.rows().mapped("kind")), ["addon_add", "addon_remove"])

    def test_an_addon_not_offered_or_not_held_answers_404_and_nothing_is_written(self):
        sports = self.addon("Sports", "SPORTS", 20.0)
        telecine = self.addon("Telecine", "TELECINE", 30.0)
        # the plan accepts Sports only; another integration's add-on is no one's here
        self.product.product_tmpl_id.tv_accepted_addon_ids = [(6, 0, [sports.product_tmpl_id.id])]
        other = self.env["tv.integration"].with_context(tv_skip_connection_check=True).create({
            "name": "Other", "environment": "homologation", "access_token": "t",
            "api_login": "l", "api_password": "p"})
        foreign = self.addon("Foreign", "FOREIGN", 10.0, integration=other)
        tree = self.page()
        offered = tree.xpath("//*[contains(@class, 'o_tv_addon_offered')]")
        self.assertEqual([" ".join(node.text_content().split())[:6] for node in offered],
                         ["Sports"])
        values = self.form_tokens(tree, "o_tv_addon_add_form")
        for action, product in (("add-addon", telecine), ("add-addon", foreign),
                                ("remove-addon", sports), ("add-addon", "x")):
            response = self.post(self.path + "/" + action, dict(
                values, product_id=getattr(product, "id", product)))
            self.assertEqual(response.status_code, 404, (action, product))
        # Bruno's TV user with an add-on its plan offers: not Ana's
        response = self.post("/my/tv/%d/add-addon" % self.bruno_tv_user.id,
                             dict(values, product_id=sports.id))
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self.env["account.analytic.invoice.line"].search(
            [("tv_user_id", "!=", False)]))
        self.assertFalse(self.env["tv.portal.request"].search([]))

    def test_a_refused_addon_says_why_and_writes_nothing(self):
        sports = self.addon("Sports", "SPORTS", 20.0)
        tree = self.page()
        values = dict(self.form_tokens(tree, "o_tv_addon_add_form"), product_id=sports.id)
        self.contract._set_contract_status("deactivated")
        response = self.post(self.path + "/add-addon", values)
        state, text = self.notice(response)
        self.assertEqual(state, "refused", text)
        self.assertIn("while your contract is up to date", text)
        self.assertFalse(self.addon_lines())
        self.assertEqual(self.rows().mapped("state"), ["refused"])

    def test_a_customer_behind_on_payments_removes_but_adds_no_addon(self):
        """Under a late notice (and reduced, blocked, suspended) the card
        offers no add-on, says why, and a form sent anyway is refused with
        nothing written; the one held may still be removed."""
        sports = self.addon("Sports", "SPORTS", 20.0)
        telecine = self.addon("Telecine", "TELECINE", 30.0)
        response, _values = self.submit("add-addon", "o_tv_addon_add_form",
                                        {"product_id": sports.id}, tree=self.page())
        self.assertEqual(self.notice(response)[0], "done")
        self.contract._set_contract_status("late_notice")
        tree = self.page()
        # the page's tokens, as a form kept from before would send them
        values = dict(self.form_tokens(tree, "o_tv_addon_remove_form"), product_id=telecine.id)
        offered = tree.xpath("//*[contains(@class, 'o_tv_addon_offered')]")
        self.assertEqual(len(offered), 1)
        self.assertIn("while your contract is up to date", offered[0].text_content())
        self.assertFalse(tree.xpath("//form[contains(@class, 'o_tv_addon_add_form')]"))
        self.assertTrue(tree.xpath("//form[contains(@class, 'o_tv_addon_remove_form')]"))
        response = self.post(self.path + "/add-addon", values)
        state, text = self.notice(response)
        self.assertEqual(state, "refused", text)
        self.assertIn("while your contract is up to date", text)
        self.assertEqual(self.addon_lines().mapped("product_id"), sports)
        response, _values = self.submit("remove-addon", "o_tv_addon_remove_form",
                                        {"product_id": sports.id}, tree=self.page())
        self.assertEqual(self.notice(response)[0], "done")

    # -- the entry point is the system's only ----------------------------------------------

    def test_portal_user_can_make_no_request_over_the_orm_or_xmlrpc(self):
        token = "0" * 32
        values = {"date_from": self.day(1), "date_to": self.day(30)}
        operator = self.env["res.users"].with_context(no_reset_password=True).create({
            "name": "Olívia", "login": "portal-test-operator",
            "groups_id": [(6, 0, [self.env.ref("oletv_integration.group_tv_user").id])]})
        for user in (self.ana, operator):  # the method's own check, before any right
            with self.assertRaisesRegex(AccessError, "customer portal only"):
                self.env["tv.portal.request"].sudo(user)._tv_portal_submit(
                    self.tv_user, self.ana, "suspension", token, values)
        rpc = RolesCase.rpc
        calls = [
            ("tv.portal.request", "_tv_portal_submit",
             [self.tv_user.id, self.ana.id, "suspension", token, values], {}),
            ("tv.portal.request", "_tv_trust_refusal", [self.contract.id, self.day(0)], {}),
            ("tv.portal.request", "create", [{
                "partner_id": self.company_partner.id, "user_id": self.ana.id,
                "contract_id": self.contract.id, "kind": "suspension", "token": token}], {}),
            ("tv.portal.request", "search_read", [[]], {}),
            ("tv.request.suspension", "_tv_end_now", [[]], {}),
            ("account.analytic.account", "_tv_suspension_allowance", [self.contract.ids], {}),
            ("tv.user", "_tv_resend_access_instructions", [self.tv_user.ids], {}),
        ]
        for model, method, args, kwargs in calls:
            with self.subTest(method=method), self.assertRaises(AccessError):
                rpc(self.ana, model, method, *args, **kwargs)
        self.assertFalse(self.suspensions())
        self.assertFalse(self.env["tv.portal.request"].search([]))
