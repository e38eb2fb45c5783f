# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Customer notices end to end: queued by the sync engine, and by the job a
status change queues, delivered by Odoo's mail queue to a real SMTP
server, read back there: each once, in the customer's language, with the
right figures; the policy's switches; the operator's resend."""
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError

from .notice_common import NoticeCase, en_amount, pt_amount


class TestCustomerNotices(NoticeCase):

    def test_welcome_once_in_each_customers_language(self):
        follower = self.env["res.partner"].create(
            {"name": "Staff", "email": "staff@isp.example.com"})
        self.contract.message_subscribe(partner_ids=follower.ids)
        with self.mock() as mock:
            ana = self.create_tv_user(mock, account="OLE-000001")
        with self.mock() as mock:
            john = self.create_tv_user(mock, account="OLE-000002", contract_id=self.contract_en.id)
        self.assertEqual((ana.account_number, john.account_number), ("OLE-000001", "OLE-000002"))
        self.deliver()
        [to_ana] = self.received("ana@example.com")
        [to_john] = self.received("john@example.com")
        self.assertEqual(len(self.smtp.messages()), 2, "the follower gets no copy")
        self.assertIn("seu serviço de TV está pronto", to_ana["Subject"])
        self.assertIn("ana@example.com", self.text(to_ana))
        self.assertIn("Abra o app Ole e entre.", self.text(to_ana))
        self.assertIn("your TV service is ready", to_john["Subject"])
        self.assertIn("Open the Ole app and sign in.", self.text(to_john))
        self.assertIn("tv@isp.example.com", to_ana["From"])
        for message in (to_ana, to_john):
            self.assertNotIn("SECRET", message.as_string())
        welcome = self.notices(self.contract, "welcome")
        self.assertEqual(len(welcome), 1)
        self.assertIn(welcome.mail_message_id, self.contract.message_ids, "in the chatter")
        # a later sync of the same TV user sends no second welcome
        with self.mock() as mock:
            self.expect_get(mock, status="awaiting_activation", account="OLE-000001")
            ana.action_refresh_from_platform()
            self.run_jobs()
        self.deliver()
        self.assertEqual(len(self.smtp.messages()), 2)

    def test_no_welcome_when_switched_off_or_without_policy(self):
        self.policy.notify_welcome = False
        with self.mock() as mock:
            self.create_tv_user(mock)
        self.policy.unlink()
        with self.mock() as mock:
            self.create_tv_user(mock, account="OLE-000002", contract_id=self.contract_en.id)
        self.assertFalse(self.deliver())
        self.assertFalse(self.notices(self.contract) | self.notices(self.contract_en))

    def test_late_notice_figures_in_english(self):
        old, recent = self.invoice(self.contract_en, 8), self.invoice(self.contract_en, 6)
        self.as_operator(self.contract_en).action_contract_late_notice()
        self.run_notice_jobs()
        self.deliver()
        [message] = self.received("john@example.com")
        body = self.text(message)
        for invoice in (old, recent):
            self.assertIn(invoice.number, body)
            self.assertIn(self.day(invoice.date_due).strftime("%m/%d/%Y"), body)
            self.assertIn(en_amount(invoice.residual), body)
        self.assertIn(en_amount(old.residual + recent.residual), body)
        # the oldest invoice is 8 days overdue: reduced once more than 20 days
        reduced_on = self.day(old.date_due) + timedelta(days=21)
        self.assertIn("reduced to the main package on %s" % reduced_on.strftime("%m/%d/%Y"), body)

    def test_late_notice_in_portuguese_when_it_blocks_the_tv(self):
        self.policy.late_notice_blocks_tv = True
        invoice = self.invoice(self.contract, 8)
        self.as_operator(self.contract).action_contract_late_notice()
        self.run_notice_jobs()
        self.deliver()
        [message] = self.received("ana@example.com")
        body = self.text(message)
        self.assertIn("faturas em atraso", message["Subject"])
        self.assertIn(self.day(invoice.date_due).strftime("%d/%m/%Y"), body)
        self.assertIn(pt_amount(invoice.residual), body)
        self.assertIn("bloqueado até", body)

    def test_status_notices_follow_real_changes_and_switches(self):
        contract = self.as_operator(self.contract_en)
        for change in (contract.action_contract_block, contract.action_contract_release,
                       lambda: self.contract_en._set_contract_status(
                           "reduced", block_reason="automatic"),
                       lambda: self.contract_en._set_contract_status("active"),
                       # on request: no notice
                       lambda: self.contract_en._set_contract_status("suspended"),
                       lambda: self.contract_en._set_contract_status("active")):
            change()
            self.run_notice_jobs()  # each job sees its own status
        self.policy.notify_blocked = False
        contract.action_contract_block()
        self.assertFalse(self.notice_jobs(), "switched off: nothing queued")
        subjects = [m["Subject"] for m in self.deliver()]
        self.assertEqual([s.split(": ", 1)[1] for s in subjects], [
            "your TV access has been suspended", "your TV access is active again",
            "your TV access has been reduced", "your TV access is active again",
            "your TV access is active again"])
        kinds = self.notices(self.contract_en).sorted("id").mapped("tv_notice")
        self.assertEqual(kinds, ["blocked", "released", "reduced", "released", "released"])
        self.assertEqual(self.contract_en.contract_status, "blocked")

    def test_a_broken_template_never_blocks_the_status_change(self):
        self.env.ref("oletv_integration.mail_template_tv_blocked").body_html = \
            "<p>${object.no_such_field.name}</p>"
        self.as_operator(self.contract_en).action_contract_block()
        self.assertEqual(self.contract_en.contract_status, "blocked")
        self.assertEqual(self.contract_en.tv_access, "blocked")
        [result] = self.run_notice_jobs()
        self.assertIn("1 could not be rendered or queued", result)
        self.assertFalse(self.notices(self.contract_en))
        self.assertFalse(self.deliver())

    def test_customer_without_email_gets_a_chatter_note(self):
        self.john.email = False
        self.as_operator(self.contract_en).action_contract_block()
        self.assertEqual(self.contract_en.contract_status, "blocked")
        [result] = self.run_notice_jobs()
        self.assertIn("1 not sent: the customer has no e-mail address", result)
        self.assertIn("no e-mail address", self.contract_en.message_ids[0].body)
        self.assertFalse(self.notices(self.contract_en))

    def test_operator_resends_the_access_instructions(self):
        with self.mock() as mock:
            user = self.create_tv_user(mock, account="OLE-000002", contract_id=self.contract_en.id)
        self.deliver()
        self.smtp.clear()
        self.policy.write({"notify_welcome": False})  # the resend has no switch
        self.as_operator(user).action_tv_resend_access_instructions()
        [message] = self.deliver()
        self.assertIn("how to access your TV", message["Subject"])
        self.assertIn(user.login, self.text(message))
        self.assertIn("Open the Ole app and sign in.", self.text(message))
        self.assertEqual(len(self.notices(self.contract_en, "access_instructions")), 1)

    def test_resend_is_refused_before_creation_and_to_other_roles(self):
        user = self.env["tv.user"].with_context(tv_no_platform_sync=True).create(
            {"contract_id": self.contract_en.id, "product_id": self.tv_product.id})
        with self.assertRaises(UserError):
            self.as_operator(user).action_tv_resend_access_instructions()
        viewer = self.env["res.users"].with_context(no_reset_password=True).create({
            "name": "Viewer", "login": "notice-viewer",
            "groups_id": [(6, 0, [self.env.ref("oletv_integration.group_tv_viewer").id])]})
        with self.assertRaises(AccessError):
            user.sudo(viewer).action_tv_resend_access_instructions()
        self.assertFalse(self.notices(self.contract_en))

    @staticmethod
    def day(value):
        return fields.Date.from_string(value)
