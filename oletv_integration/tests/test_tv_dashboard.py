# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields

from .common import OleTVCase


class TestTvDashboard(OleTVCase):

    def make_user(self, login, platform_state, sync_state="synced", days_old=0):
        partner = self.env["res.partner"].create({"name": login, "email": login})
        contract = self.make_contract(partner, [self.tv_product])
        user = self.env["tv.user"].with_context(tv_no_platform_sync=True).create(
            {"contract_id": contract.id, "product_id": self.tv_product.id})
        user.write({"platform_state": platform_state, "sync_state": sync_state,
                    "account_number": "ACC-%s" % login})
        if days_old:
            created = fields.Datetime.to_string(
                fields.Datetime.from_string(fields.Datetime.now()) - timedelta(days=days_old))
            self.env.cr.execute("UPDATE tv_user SET create_date = %s WHERE id = %s",
                                (created, user.id))
        return user

    def test_tiles_count_and_open_the_matching_users(self):
        online = self.make_user("on@example.com", "active")
        self.make_user("blocked@example.com", "blocked")
        late = self.make_user("late@example.com", "awaiting_activation", days_old=10)
        self.make_user("new@example.com", "awaiting_activation", sync_state="pending")
        failed = self.make_user("failed@example.com", "active", sync_state="error")
        gone = self.make_user("gone@example.com", "deleted", sync_state="error")
        self.integration.invalidate_cache()
        integration = self.integration
        self.assertEqual(integration.count_online, 2)  # on@ and failed@ are active
        self.assertEqual(integration.count_offline, 3)
        self.assertEqual(integration.count_pending, 1)
        self.assertEqual(integration.count_error, 2)
        self.assertEqual(integration.count_deleted, 1)
        self.assertEqual(integration.count_awaiting, 2)
        self.assertEqual(integration.count_awaiting_late, 1)

        def opened(tile):
            action = integration.with_context(tv_tile=tile).action_open_tv_users()
            return self.env["tv.user"].with_context(**action["context"]).search(action["domain"])

        self.assertEqual(opened("awaiting_late"), late)
        self.assertEqual(opened("deleted"), gone)
        self.assertIn(failed, opened("error"))
        self.assertIn(online, opened("online"))
