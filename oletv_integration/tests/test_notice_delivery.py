# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A failing SMTP server loses no customer notice and blocks no status
change: down, or answering a temporary 4xx, the notice is kept and
delivered once when the server is back (the retry scheduled action puts it
back in the mail queue); a permanent 5xx is not retried; the retries are
capped. And who may ask for a resend over XML-RPC."""
from odoo.exceptions import AccessError

from .notice_common import NoticeCase
from .security_common import RolesCase


class TestNoticeDelivery(NoticeCase):

    def block(self):
        self.as_operator(self.contract_en).action_contract_block()
        self.assertEqual(self.contract_en.contract_status, "blocked")
        self.assertEqual(self.contract_en.tv_access, "blocked")
        self.run_notice_jobs()
        return self.notices(self.contract_en, "blocked")

    def retry(self):
        return self.env["mail.mail"]._cron_tv_retry_notices()

    def test_smtp_down_then_back(self):
        self.smtp.stop()
        mail = self.block()
        self.assertFalse(self.deliver())
        self.assertEqual(mail.state, "exception")
        self.assertIn("Connection refused", mail.failure_reason)
        self.assertEqual(self.retry(), 1)
        self.assertEqual(mail.state, "outgoing")
        self.deliver()  # still down: failed again, retried again
        self.assertEqual((mail.state, self.retry()), ("exception", 1))
        self.smtp.start()
        [message] = self.deliver()
        self.assertIn("john@example.com", message["X-Envelope-To"])
        self.assertEqual((mail.state, mail.tv_notice_retries), ("sent", 2))
        self.assertEqual(self.retry(), 0)
        self.assertEqual(len(self.deliver()), 1, "delivered once")

    def test_temporary_refusal_then_accepted(self):
        self.smtp.refuse("451 4.3.0 Mailbox busy, try again later")
        mail = self.block()
        self.assertFalse(self.deliver())
        self.assertEqual(mail.state, "exception")
        self.assertIn("451", mail.failure_reason)
        self.assertEqual(self.retry(), 1)
        self.smtp.refuse(None)
        self.assertEqual(len(self.deliver()), 1)
        self.assertEqual(mail.state, "sent")

    def test_permanent_refusal_is_not_retried(self):
        self.smtp.refuse("550 5.1.1 No such user")
        mail = self.block()
        self.deliver()
        self.assertEqual(mail.state, "exception")
        self.assertEqual(self.retry(), 0)
        self.assertEqual(mail.state, "exception")

    def test_retries_are_capped(self):
        self.env["ir.config_parameter"].set_param("oletv_integration.notice_max_retries", "1")
        self.smtp.stop()
        mail = self.block()
        self.deliver()
        self.assertEqual(self.retry(), 1)
        self.deliver()
        self.assertEqual(self.retry(), 0)
        self.assertEqual((mail.state, mail.tv_notice_retries), ("exception", 1))

    def test_other_mails_are_not_retried(self):
        self.smtp.stop()
        other = self.env["mail.mail"].create({
            "email_to": "someone@example.com", "subject": "Not a TV notice", "body_html": "x"})
        self.deliver()
        self.assertEqual(other.state, "exception")
        self.assertEqual(self.retry(), 0)


class TestResendOverRpc(RolesCase):

    def test_who_may_resend_the_access_instructions(self):
        user = self.env["tv.user"].with_context(tv_no_platform_sync=True).create(
            {"contract_id": self.contract.id, "product_id": self.tv_product.id})
        user.write({"account_number": "OLE-A-9", "platform_state": "active",
                    "sync_state": "synced"})
        mails = self.env["mail.mail"].search([("tv_notice", "=", "access_instructions")])
        for role in ("viewer", "salesperson", "clerk", "portal"):
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                self.rpc(self.users_a[role], "tv.user", "action_tv_resend_access_instructions",
                         user.ids)
        with self.assertRaises(AccessError), self.env.cr.savepoint():  # company B's operator
            self.rpc(self.users_b["operator"], "tv.user", "action_tv_resend_access_instructions",
                     user.ids)
        self.assertEqual(self.env["mail.mail"].search(
            [("tv_notice", "=", "access_instructions")]), mails)
        self.rpc(self.users_a["operator"], "tv.user", "action_tv_resend_access_instructions",
                 user.ids)
        sent = self.env["mail.mail"].search([("tv_notice", "=", "access_instructions")]) - mails
        self.assertEqual(sent.recipient_ids, self.contract.partner_id)
