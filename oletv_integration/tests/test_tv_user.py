# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import requests
import responses

from odoo.exceptions import UserError, ValidationError

from .common import OleTVCase, error_payload, subscriber_payload


class TestTvUser(OleTVCase):

    def test_create_sends_product_packages_and_stores_account(self):
        with self.mock() as mock:
            user = self.create_tv_user(
                mock, product_id=self.tv_product_box.id, equipment_model_id=self.equipment.id,
                mac_devices="aa-bb-cc-dd-ee-ff\n11:22:33:44:55:66", technology="ott")
            sent = self.body(mock.calls[1])
        self.assertEqual(sent["login"], "ana@example.com", "the customer's e-mail, lower-cased")
        self.assertEqual(sent["main_package"], "FAMILY")
        self.assertEqual(sent["additional_packages"], ["HBO", "EXTRA_POINT"])
        self.assertEqual(sent["mac_devices"], ["AA:BB:CC:DD:EE:FF", "11:22:33:44:55:66"])
        self.assertEqual(sent["equipment"], "STB-X1")
        self.assertEqual(sent["technology"], "ott")
        self.assertEqual(user.account_number, "OLE-000001")
        self.assertEqual(user.platform_state, "awaiting_activation")
        self.assertFalse(user.online)
        self.assertIn("OLE-000001", user.message_ids.mapped("body")[0])

    def test_manual_login_must_be_an_email(self):
        with self.mock(), self.assertRaises(ValidationError):
            self.env["tv.user"].create({"contract_id": self.contract.id,
                                        "product_id": self.tv_product.id,
                                        "use_main_email": False, "login": "not-an-email"})

    def test_malformed_mac_is_refused(self):
        with self.mock(), self.assertRaises(ValidationError) as raised:
            self.env["tv.user"].create({"contract_id": self.contract.id,
                                        "product_id": self.tv_product.id,
                                        "mac_devices": "AA:BB:CC:DD:EE"})
        self.assertIn("AA:BB:CC:DD:EE", raised.exception.name)

    def test_product_must_be_a_tv_product_of_the_contract(self):
        other = self.make_tv_product("TV not on contract", self.pkg_family)
        for product in (self.plain_product, other):
            with self.mock(), self.assertRaises(ValidationError):
                self.env["tv.user"].create({"contract_id": self.contract.id,
                                            "product_id": product.id})

    def test_equipment_needs_extra_point_package(self):
        with self.mock(), self.assertRaises(ValidationError) as raised:
            self.env["tv.user"].create({"contract_id": self.contract.id,
                                        "product_id": self.tv_product.id,
                                        "equipment_model_id": self.equipment.id})
        self.assertIn("Ponto adicional", raised.exception.name)

    def test_platform_refusal_leaves_no_tv_user(self):
        with self.mock() as mock:
            mock.add(responses.GET, self.url("/v1/subscribers"), json={"subscribers": []})
            mock.add(responses.POST, self.url("/v1/subscribers"), status=422, json=error_payload(
                "validation_error", "Invalid request", details={"login": "domain not accepted"}))
            with self.assertRaises(UserError) as raised, self.env.cr.savepoint():
                self.env["tv.user"].create({"contract_id": self.contract.id,
                                            "product_id": self.tv_product.id})
        self.assertIn("domain not accepted", raised.exception.name)
        self.assertFalse(self.env["tv.user"].search([("contract_id", "=", self.contract.id)]))

    def test_platform_down_on_create_leaves_no_tv_user(self):
        with self.mock() as mock:
            for _attempt in range(3):
                mock.add(responses.GET, self.url("/v1/subscribers"),
                         body=requests.ConnectionError("refused"))
            with self.assertRaises(UserError) as raised, self.env.cr.savepoint():
                self.env["tv.user"].create({"contract_id": self.contract.id,
                                            "product_id": self.tv_product.id})
        self.assertIn("could not be reached", raised.exception.name)
        self.assertFalse(self.env["tv.user"].search([("contract_id", "=", self.contract.id)]))

    def test_existing_login_is_linked_not_created_twice(self):
        with self.mock() as mock:
            mock.add(responses.GET, self.url("/v1/subscribers"), json={"subscribers": [
                subscriber_payload(account="OLE-000777", status="active")]})
            user = self.env["tv.user"].create({"contract_id": self.contract.id,
                                               "product_id": self.tv_product.id})
            self.assertEqual(len(mock.calls), 1, "no POST when the login already exists")
        self.assertEqual(user.account_number, "OLE-000777")
        self.assertTrue(user.online)

    def test_login_unique_per_integration(self):
        with self.mock() as mock:
            self.create_tv_user(mock)
        with self.mock(), self.assertRaises(ValidationError):
            self.env["tv.user"].create({"contract_id": self.contract.id,
                                        "product_id": self.tv_product_box.id})

    def test_login_cannot_change_after_creation(self):
        with self.mock() as mock:
            user = self.create_tv_user(mock)
        with self.assertRaises(UserError):
            user.write({"use_main_email": False, "login": "other@example.com"})

    def test_product_change_pushes_packages(self):
        with self.mock() as mock:
            user = self.create_tv_user(mock)
        with self.mock() as mock:
            mock.add(responses.PUT, self.url("/v1/subscribers/OLE-000001/packages"),
                     json=subscriber_payload(main="FAMILY", additional=["HBO", "EXTRA_POINT"]))
            user.product_id = self.tv_product_box
            self.assertEqual(self.body(mock.calls[0])["main_package"], "FAMILY")

    def test_unlink_deletes_on_platform(self):
        with self.mock() as mock:
            user = self.create_tv_user(mock)
        with self.mock() as mock:
            mock.add(responses.DELETE, self.url("/v1/subscribers/OLE-000001"), status=204)
            user.unlink()
        self.assertFalse(user.exists())

    def test_deleted_on_panel_is_flagged_then_recreated(self):
        with self.mock() as mock:
            user = self.create_tv_user(mock)
        with self.mock() as mock:
            mock.add(responses.GET, self.url("/v1/subscribers/OLE-000001"), status=404,
                     json=error_payload("not_found", "Subscriber not found"))
            user.action_refresh_from_platform()
        self.assertEqual(user.platform_state, "deleted")
        self.assertTrue(user.sync_error)
        with self.mock() as mock:
            mock.add(responses.GET, self.url("/v1/subscribers"), json={"subscribers": []})
            mock.add(responses.POST, self.url("/v1/subscribers"), status=201,
                     json=subscriber_payload(account="OLE-000002"))
            user.action_recreate_on_platform()
        self.assertEqual(user.account_number, "OLE-000002")
        self.assertEqual(user.platform_state, "awaiting_activation")
        self.assertFalse(user.sync_error)
