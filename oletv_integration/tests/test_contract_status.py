# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError

from .common import OleTVCase


class TestContractStatus(OleTVCase):

    def _active_tv_user(self):
        with self.mock() as mock:
            return self.create_tv_user(mock, status="active")

    def test_block_late_notice_and_deactivate_block_tv(self):
        for action in ("action_contract_block", "action_contract_late_notice",
                       "action_contract_deactivate"):
            user = self._active_tv_user()
            with self.mock() as mock:
                getattr(self.contract, action)()
                self.assertEqual(len(mock.calls), 0, "the click returns at once")
                self.assertEqual(user.sync_state, "pending")
                self.expect_get(mock, status="active")
                self.expect_access(mock, "block")
                self.run_jobs()
            self.assertEqual(user.platform_state, "blocked", action)
            self.assertFalse(user.online)
            user.with_context(tv_no_platform_sync=True).unlink()
            self.contract.contract_status = "active"

    def test_release_brings_tv_back_online(self):
        user = self._active_tv_user()
        with self.mock() as mock:
            self.contract.action_contract_block()
            self.expect_get(mock, status="active")
            self.expect_access(mock, "block")
            self.run_jobs()
        self.assertEqual(self.contract.block_reason, "manual")
        with self.mock() as mock:
            self.contract.action_contract_release()
            self.expect_get(mock, status="blocked")
            self.expect_access(mock, "release")
            self.run_jobs()
        self.assertEqual(self.contract.contract_status, "active")
        self.assertFalse(self.contract.block_reason)
        self.assertTrue(user.online)
        self.assertTrue(any("blocked on Olé TV" in body
                            for body in user.message_ids.mapped("body")))

    def test_latest_desired_state_wins(self):
        user = self._active_tv_user()
        with self.mock() as mock:
            self.contract.action_contract_block()
            self.contract.action_contract_release()
            self.assertEqual(len(self.pending_jobs()), 1, "one waiting job per TV user")
            self.expect_get(mock, status="active")
            self.run_jobs()  # already released on the platform: no block, no release
            self.assertEqual([c.request.method for c in mock.calls], ["GET"])
        self.assertTrue(user.online)

    def test_awaiting_activation_keeps_the_wish_until_first_access(self):
        with self.mock() as mock:
            user = self.create_tv_user(mock)
        with self.mock() as mock:
            self.contract.action_contract_block()
            self.expect_get(mock, status="awaiting_activation")
            self.run_jobs()  # no block: the platform would refuse it
        self.assertEqual(user.desired_access, "blocked")
        self.assertEqual(user.platform_state, "awaiting_activation")
        with self.mock() as mock:
            user.action_refresh_from_platform()
            self.expect_get(mock, status="active")
            self.expect_access(mock, "block")
            self.run_jobs()
        self.assertEqual(user.platform_state, "blocked")

    def test_awaiting_signature_keeps_access_released(self):
        user = self._active_tv_user()
        with self.mock():  # released before and after: no platform call at all
            self.contract.action_contract_awaiting_signature()
            self.run_jobs()
        self.assertEqual(self.contract.contract_status, "awaiting_signature")
        self.assertEqual(user.desired_access, "allowed")
        self.assertTrue(user.online)

    def test_deactivated_contract_reactivates_and_releases(self):
        user = self._active_tv_user()
        with self.mock() as mock:
            self.contract.action_contract_deactivate()
            self.expect_get(mock, status="active")
            self.expect_access(mock, "block")
            self.run_jobs()
        with self.mock() as mock:
            self.contract.action_contract_activate()
            self.expect_get(mock, status="blocked")
            self.expect_access(mock, "release")
            self.run_jobs()
        self.assertTrue(user.online)

    def test_forbidden_transition_is_refused(self):
        self.contract.action_contract_deactivate()
        with self.assertRaises(UserError):
            self.contract.action_contract_block()

    def test_status_change_is_tracked_on_contract(self):
        self.contract.action_contract_late_notice()
        self.assertTrue(self.contract.message_ids.mapped("tracking_value_ids").filtered(
            lambda value: value.field == "contract_status"))
