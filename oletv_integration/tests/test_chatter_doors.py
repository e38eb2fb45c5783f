# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The chatter of the TV records as a side door (models/mail_followers.py,
models/mail_message.py): Odoo 11 lets any employee make a follower row for
any document over XML-RPC and lets a follower post under any author with any
tracking values. On the TV records (the delinquency policy's chatter is the
record of who changed its ladder and billing switches) a user follows what
they may read, posts in their own name, and records changes only where they
may make them."""
from odoo.exceptions import AccessError

from .security_common import RolesCase


class TestChatterDoors(RolesCase):

    def follow(self, user, record, partner=None):
        return self.rpc(user, "mail.followers", "create", {
            "res_model": record._name, "res_id": record.id,
            "partner_id": (partner or user.partner_id).id})

    def test_another_company_does_not_follow_the_policy(self):
        for role in ("employee", "salesperson", "manager", "portal"):
            with self.assertRaises(AccessError, msg=role), self.env.cr.savepoint():
                self.follow(self.users_a[role], self.policy_b)
        self.assertFalse(self.policy_b.message_follower_ids.filtered(
            lambda follower: follower.partner_id in self.env["res.users"].browse(
                [user.id for user in self.users_a.values()]).mapped("partner_id")))

    def test_a_reader_follows_but_makes_no_one_else_follow(self):
        viewer, clerk = self.users_b["viewer"], self.users_b["clerk"]
        self.assertTrue(self.follow(viewer, self.contract_b))
        with self.assertRaises(AccessError):
            self.follow(viewer, self.contract_b, partner=clerk.partner_id)

    def test_a_follower_forges_no_change_and_no_author(self):
        viewer, manager = self.users_b["viewer"], self.users_b["manager"]
        self.follow(viewer, self.policy_b)
        before = self.policy_b.message_ids
        forged = {"model": "tv.delinquency.policy", "res_id": self.policy_b.id,
                  "body": "", "message_type": "notification",
                  "tracking_value_ids": [(0, 0, {
                      "field": "charge_blocked_days", "field_desc": "Charge the days blocked",
                      "field_type": "boolean", "old_value_integer": 0,
                      "new_value_integer": 1})]}
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.rpc(viewer, "mail.message", "create", forged)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.rpc(viewer, "mail.message", "create", {
                "model": "tv.delinquency.policy", "res_id": self.policy_b.id,
                "body": "Charge the days blocked: yes", "author_id": manager.partner_id.id})
        self.policy_b.invalidate_cache()
        self.assertEqual(self.policy_b.message_ids, before, "nothing posted")
        # the manager's own change is recorded in their name
        self.rpc(manager, "tv.delinquency.policy", "write", self.policy_b.ids,
                 {"trust_release_days": 2})
        change = (self.policy_b.message_ids - before).mapped("tracking_value_ids").filtered(
            lambda value: value.field == "trust_release_days")
        self.assertEqual(change.mail_message_id.author_id, manager.partner_id)
