# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import responses

from odoo.exceptions import UserError, ValidationError

from .common import OleTVCase, error_payload, subscriber_payload


class TestTvUser(OleTVCase):

    def new_user(self, **values):
        vals = {"contract_id": self.contract.id, "product_id": self.tv_product.id}
        vals.update(values)
        return self.env["tv.user"].create(vals)

    def test_create_sends_product_packages_and_stores_account(self):
        with self.mock() as mock:
            user = self.create_tv_user(
                mock, product_id=self.tv_product_box.id, equipment_model_id=self.equipment.id,
                mac_devices="aa-bb-cc-dd-ee-ff\n11:22:33:44:55:66", technology="ott")
            sent = self.body(mock.calls[1])
        self.assertFalse(user.sync_error)
        self.assertEqual(sent["login"], "ana@example.com", "the customer's e-mail, lower-cased")
        self.assertEqual(sent["main_package"], "FAMILY")
        self.assertEqual(sent["additional_packages"], ["HBO", "EXTRA_POINT"])
        self.assertEqual(sent["mac_devices"], ["AA:BB:CC:DD:EE:FF", "11:22:33:44:55:66"])
        self.assertEqual(sent["equipment"], "STB-X1")
        self.assertEqual(sent["technology"], "ott")
        self.assertEqual(user.account_number, "OLE-000001")
        self.assertEqual(user.platform_state, "awaiting_activation")
        self.assertEqual(user.sync_state, "synced")
        self.assertFalse(user.online)
        self.assertTrue(any("OLE-000001" in body for body in user.message_ids.mapped("body")))

    def test_save_commits_at_once_and_shows_pending(self):
        with self.mock() as mock:  # no call may happen in the user's transaction
            user = self.new_user()
            self.assertEqual(len(mock.calls), 0)
        self.assertEqual(user.sync_state, "pending")
        self.assertEqual(len(self.pending_jobs()), 1)
        self.assertEqual(self.pending_jobs().channel,
                         "root.oletv.sync")

    def test_manual_login_must_be_an_email(self):
        with self.assertRaises(ValidationError):
            self.new_user(use_main_email=False, login="not-an-email")

    def test_malformed_mac_is_refused(self):
        with self.assertRaises(ValidationError) as raised:
            self.new_user(mac_devices="AA:BB:CC:DD:EE")
        self.assertIn("AA:BB:CC:DD:EE", raised.exception.name)

    def test_product_must_be_a_tv_product_of_the_contract(self):
        other = self.make_tv_product("TV not on contract", self.pkg_family)
        for product in (self.plain_product, other):
            with self.assertRaises(ValidationError):
                self.new_user(product_id=product.id)

    def test_equipment_needs_extra_point_package(self):
        with self.assertRaises(ValidationError) as raised:
            self.new_user(equipment_model_id=self.equipment.id)
        self.assertIn("Ponto adicional", raised.exception.name)

    def test_platform_refusal_stops_and_asks_the_responsible(self):
        user = self.new_user()
        with self.mock() as mock:
            mock.add(responses.GET, self.url("/v1/subscribers"), json={"subscribers": []})
            mock.add(responses.POST, self.url("/v1/subscribers"), status=422, json=error_payload(
                "validation_error", "Invalid request", details={"login": "domain not accepted"}))
            retries = self.run_jobs(rounds=3)
        self.assertEqual(retries, 0, "a permanent refusal is not retried")
        self.assertEqual(user.sync_state, "error")
        self.assertIn("domain not accepted", user.sync_error)
        self.assertFalse(user.account_number)
        activity = user.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.contract.user_id)
        with self.mock() as mock:  # Retry sync after the fix
            mock.add(responses.GET, self.url("/v1/subscribers"), json={"subscribers": []})
            mock.add(responses.POST, self.url("/v1/subscribers"), status=201,
                     json=subscriber_payload())
            user.action_sync_now()
            self.run_jobs()
        self.assertEqual(user.sync_state, "synced")
        self.assertFalse(user.sync_error)

    def test_platform_down_retries_until_it_comes_back(self):
        user = self.new_user()
        with self.mock() as mock:
            mock.add(responses.GET, self.url("/v1/subscribers"), status=503,
                     json=error_payload("unavailable", "Maintenance"))
            retries = self.run_jobs(rounds=2)
        self.assertEqual(retries, 2)
        self.assertEqual(user.sync_state, "pending")
        self.assertIn("Retrying automatically", user.sync_error)
        job = self.pending_jobs()
        self.assertEqual(job.retry, 2)
        with self.mock() as mock:
            mock.add(responses.GET, self.url("/v1/subscribers"), json={"subscribers": []})
            mock.add(responses.POST, self.url("/v1/subscribers"), status=201,
                     json=subscriber_payload())
            self.run_jobs()
        self.assertEqual(user.account_number, "OLE-000001")
        self.assertEqual(user.sync_state, "synced")
        self.assertEqual(job.state, "done")

    def test_rate_limit_honours_retry_after(self):
        self.new_user()
        with self.mock() as mock:
            mock.add(responses.GET, self.url("/v1/subscribers"), status=429,
                     headers={"Retry-After": "120"},
                     json=error_payload("rate_limited", "Slow down"))
            self.run_jobs()
        job = self.pending_jobs()
        wait = (job.eta and (self.env["queue.job"]._fields["eta"].from_string(job.eta)
                             - self.env["queue.job"]._fields["eta"].from_string(job.date_created)))
        self.assertGreaterEqual(wait.total_seconds(), 110)

    def test_existing_login_is_linked_not_created_twice(self):
        """The subscriber an earlier try created (its answer lost): the
        external reference names this TV user (test_tv_user_binding.py: a
        subscriber of anyone else is never linked)."""
        user = self.new_user()
        with self.mock() as mock:
            mock.add(responses.GET, self.url("/v1/subscribers"), json={"subscribers": [
                dict(subscriber_payload(account="OLE-000777", status="active"),
                     external_ref="odoo-tv-user-%d" % user.id)]})
            self.run_jobs()
            self.assertEqual(len(mock.calls), 1, "no POST when the login already exists")
        self.assertEqual(user.account_number, "OLE-000777")
        self.assertTrue(user.online)

    def test_job_twice_is_harmless(self):
        with self.mock() as mock:
            user = self.create_tv_user(mock)
        with self.mock() as mock:
            self.expect_get(mock, status="awaiting_activation")
            self.expect_get(mock, status="awaiting_activation")
            user._tv_sync_job()
            user._tv_sync_job()
            self.assertEqual([c.request.method for c in mock.calls], ["GET", "GET"])
        self.assertEqual(user.account_number, "OLE-000001")

    def test_login_unique_per_integration(self):
        with self.mock() as mock:
            self.create_tv_user(mock)
        with self.assertRaises(ValidationError):
            self.new_user(product_id=self.tv_product_box.id)

    def test_login_cannot_change_after_creation(self):
        with self.mock() as mock:
            user = self.create_tv_user(mock)
        with self.assertRaises(UserError):
            user.write({"use_main_email": False, "login": "other@example.com"})

    def test_product_change_pushes_packages(self):
        with self.mock() as mock:
            user = self.create_tv_user(mock)
        with self.mock() as mock:
            user.product_id = self.tv_product_box
            self.expect_get(mock, status="awaiting_activation")
            mock.add(responses.PUT, self.url("/v1/subscribers/OLE-000001/packages"),
                     json=subscriber_payload(main="FAMILY", additional=["HBO", "EXTRA_POINT"]))
            self.run_jobs()
            self.assertEqual(self.body(mock.calls[1])["additional_packages"],
                             ["HBO", "EXTRA_POINT"])

    def test_unlink_archives_and_deletes_on_platform(self):
        with self.mock() as mock:
            user = self.create_tv_user(mock)
        user.unlink()
        self.assertTrue(user.exists(), "kept, archived, for its history")
        self.assertFalse(user.active)
        with self.mock() as mock:
            mock.add(responses.DELETE, self.url("/v1/subscribers/OLE-000001"), status=204)
            self.run_jobs()
        self.assertEqual(user.platform_state, "deleted")

    def test_deleted_on_panel_is_flagged_then_recreated(self):
        with self.mock() as mock:
            user = self.create_tv_user(mock)
        with self.mock() as mock:
            mock.add(responses.GET, self.url("/v1/subscribers/OLE-000001"), status=404,
                     json=error_payload("not_found", "Subscriber not found"))
            user.action_refresh_from_platform()
            self.run_jobs()
        self.assertEqual(user.platform_state, "deleted")
        self.assertTrue(user.sync_error)
        self.assertTrue(user.activity_ids)
        with self.mock() as mock:
            mock.add(responses.GET, self.url("/v1/subscribers"), json={"subscribers": []})
            mock.add(responses.POST, self.url("/v1/subscribers"), status=201,
                     json=subscriber_payload(account="OLE-000002"))
            user.action_recreate_on_platform()
            self.run_jobs()
        self.assertEqual(user.account_number, "OLE-000002")
        self.assertEqual(user.platform_state, "awaiting_activation")
        self.assertFalse(user.sync_error)

    def test_audit_trail_records_calls_without_secrets(self):
        with self.mock() as mock:
            user = self.create_tv_user(mock)
        calls = user.api_call_ids
        self.assertEqual(sorted(calls.mapped("operation")),
                         ["create_subscriber", "find_subscriber_by_login"])
        create = calls.filtered(lambda c: c.operation == "create_subscriber")
        self.assertEqual((create.method, create.endpoint, create.status_code),
                         ("POST", "/v1/subscribers", 201))
        self.assertIn("ana@example.com", create.request_body)
        for text in calls.mapped("request_body") + calls.mapped("response_body"):
            self.assertNotIn("SECRET", text or "")
        jobs = self.env["queue.job"].search([("method_name", "=", "_tv_sync_job")])
        for text in jobs.mapped("result") + jobs.mapped("exc_info") + jobs.mapped("name"):
            self.assertNotIn("SECRET", text or "")
