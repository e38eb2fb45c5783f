# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import requests
import responses

from odoo.exceptions import UserError

from .common import OleTVCase, subscriber_payload


class TestContractStatus(OleTVCase):

    def _active_tv_user(self):
        with self.mock() as mock:
            return self.create_tv_user(mock, status="active")

    def test_block_late_notice_and_deactivate_block_tv(self):
        for action in ("action_contract_block", "action_contract_late_notice",
                       "action_contract_deactivate"):
            user = self._active_tv_user()
            with self.mock() as mock:
                mock.add(responses.POST, self.url("/v1/subscribers/OLE-000001/block"),
                         json=subscriber_payload(status="blocked"))
                getattr(self.contract, action)()
            self.assertEqual(user.platform_state, "blocked", action)
            self.assertFalse(user.online)
            user.with_context(tv_no_platform_sync=True).unlink()
            self.contract.contract_status = "active"

    def test_release_brings_tv_back_online(self):
        user = self._active_tv_user()
        with self.mock() as mock:
            mock.add(responses.POST, self.url("/v1/subscribers/OLE-000001/block"),
                     json=subscriber_payload(status="blocked"))
            self.contract.action_contract_block()
        self.assertEqual(self.contract.block_reason, "manual")
        with self.mock() as mock:
            mock.add(responses.POST, self.url("/v1/subscribers/OLE-000001/release"),
                     json=subscriber_payload(status="active"))
            self.contract.action_contract_release()
        self.assertEqual(self.contract.contract_status, "active")
        self.assertFalse(self.contract.block_reason)
        self.assertTrue(user.online)
        tracked = user.message_ids.mapped("body")
        self.assertTrue(any("blocked on Olé TV" in body for body in tracked))

    def test_awaiting_activation_keeps_the_wish_until_first_access(self):
        with self.mock() as mock:
            user = self.create_tv_user(mock)
        with self.mock() as mock:  # no call at all: the platform would refuse it
            self.contract.action_contract_block()
        self.assertEqual(user.desired_access, "blocked")
        self.assertEqual(user.platform_state, "awaiting_activation")
        with self.mock() as mock:
            mock.add(responses.GET, self.url("/v1/subscribers/OLE-000001"),
                     json=subscriber_payload(status="active"))
            mock.add(responses.POST, self.url("/v1/subscribers/OLE-000001/block"),
                     json=subscriber_payload(status="blocked"))
            user.action_refresh_from_platform()
        self.assertEqual(user.platform_state, "blocked")

    def test_awaiting_signature_keeps_access_released(self):
        user = self._active_tv_user()
        with self.mock():  # already released on the platform: no call
            self.contract.action_contract_awaiting_signature()
        self.assertEqual(self.contract.contract_status, "awaiting_signature")
        self.assertEqual(user.desired_access, "allowed")
        self.assertTrue(user.online)

    def test_deactivated_contract_reactivates_and_releases(self):
        user = self._active_tv_user()
        with self.mock() as mock:
            mock.add(responses.POST, self.url("/v1/subscribers/OLE-000001/block"),
                     json=subscriber_payload(status="blocked"))
            self.contract.action_contract_deactivate()
        with self.mock() as mock:
            mock.add(responses.POST, self.url("/v1/subscribers/OLE-000001/release"),
                     json=subscriber_payload(status="active"))
            self.contract.action_contract_activate()
        self.assertTrue(user.online)

    def test_forbidden_transition_is_refused(self):
        self.contract.action_contract_deactivate()
        with self.assertRaises(UserError):
            self.contract.action_contract_block()

    def test_platform_down_on_block_keeps_contract_unchanged(self):
        self._active_tv_user()
        with self.mock() as mock:
            mock.add(responses.POST, self.url("/v1/subscribers/OLE-000001/block"),
                     body=requests.ConnectionError("refused"))
            with self.assertRaises(UserError), self.env.cr.savepoint():
                self.contract.action_contract_block()
        self.contract.invalidate_cache()
        self.assertEqual(self.contract.contract_status, "active")

    def test_status_change_is_tracked_on_contract(self):
        self.contract.action_contract_late_notice()
        self.assertTrue(self.contract.message_ids.mapped("tracking_value_ids").filtered(
            lambda value: value.field == "contract_status"))
