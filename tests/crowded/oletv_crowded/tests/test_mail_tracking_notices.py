# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""mail_tracking beside the addon: a customer notice whose delivery failed is
listed among the failed messages, and a user who may write the contract
marks it reviewed (mail_tracking's toggle of "needs action"); what was sent
(the message's sender, reply-to, subject, body, copies) stays the system's."""
from odoo.exceptions import AccessError

from odoo.addons.oletv_integration.tests.common import OleTVCase
from odoo.addons.oletv_integration.tests.security_common import make_role_users


class TestMailTrackingNotices(OleTVCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller = make_role_users(cls.env, cls.env.user.company_id, "track")["salesperson"]
        cls.message = cls.contract.message_post(body="Late notice")
        mail = cls.env["mail.mail"].create({
            "mail_message_id": cls.message.id, "tv_notice": "late_notice",
            "tv_company_id": cls.env.user.company_id.id, "state": "exception"})
        # what mail_tracking does (as the system) when the delivery fails
        cls.env["mail.tracking.email"].create({
            "name": "Late notice", "mail_message_id": cls.message.id, "mail_id": mail.id,
            "recipient": cls.partner.email, "state": "error"})
        cls.message.write({"mail_tracking_needs_action": True})

    def test_a_failed_notice_is_marked_reviewed(self):
        contract = self.contract.sudo(self.seller)
        self.assertEqual(contract.failed_message_ids, self.message)
        self.assertFalse(contract.failed_message_ids.toggle_tracking_status())
        self.assertFalse(self.message.mail_tracking_needs_action)

    def test_what_was_sent_stays_the_systems(self):
        for vals in ({"email_cc": "x@evil.test"}, {"reply_to": "x@evil.test"},
                     {"mail_tracking_needs_action": False, "subject": "Pay here"}):
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                self.message.sudo(self.seller).write(vals)
        self.assertFalse(self.message.email_cc)
        self.assertTrue(self.message.mail_tracking_needs_action)
