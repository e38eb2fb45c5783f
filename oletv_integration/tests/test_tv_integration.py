# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import requests
import responses

from odoo.exceptions import AccessError, UserError, ValidationError

from .common import OleTVCase, error_payload
from . import security_common

rpc = security_common.RolesCase.rpc  # an XML-RPC call as a user


class TestTvIntegration(OleTVCase):

    def _create(self, **values):
        vals = {"name": "New", "environment": "homologation", "access_token": "tok-SECRET-1",
                "api_login": "isp", "api_password": "pw-SECRET-2"}
        vals.update(values)
        return self.env["tv.integration"].create(vals)

    def test_save_tests_connection_and_records_ip(self):
        with self.mock() as mock:
            mock.add(responses.GET, self.url("/v1/ping"),
                     json={"status": "ok", "client_ip": "203.0.113.7",
                           "environment": "homologation"})
            integration = self._create()
            headers = mock.calls[0].request.headers
        self.assertEqual(integration.connection_state, "ok")
        self.assertEqual(integration.client_ip, "203.0.113.7")
        self.assertEqual(headers["X-Access-Token"], "tok-SECRET-1")

    def _assert_save_refused(self, status, payload, expected_text, body=None):
        count = self.env["tv.integration"].search_count([])
        with self.mock() as mock:
            mock.add(responses.GET, self.url("/v1/ping"), status=status, json=payload, body=body)
            with self.assertRaises(UserError) as raised, self.env.cr.savepoint():
                self._create()
        self.assertIn(expected_text, raised.exception.name)
        self.assertNotIn("SECRET", raised.exception.name)
        self.assertEqual(self.env["tv.integration"].search_count([]), count)

    def test_wrong_credentials_refuse_save(self):
        self._assert_save_refused(401, error_payload("unauthorized", "Invalid credentials"),
                                  "refused the credentials")

    def test_ip_not_allowed_names_the_ip_to_release(self):
        self._assert_save_refused(
            403, error_payload("ip_not_allowed", "IP not allowed", client_ip="198.51.100.4"),
            "release IP 198.51.100.4")

    def test_platform_down_refuses_save(self):
        count = self.env["tv.integration"].search_count([])
        with self.mock() as mock:
            for _attempt in range(3):  # the client retries a GET twice
                mock.add(responses.GET, self.url("/v1/ping"),
                         body=requests.ConnectionError("connection refused"))
            with self.assertRaises(UserError) as raised, self.env.cr.savepoint():
                self._create()
        self.assertIn("could not be reached", raised.exception.name)
        self.assertEqual(self.env["tv.integration"].search_count([]), count)

    def test_a_callers_context_does_not_skip_the_connection_check(self):
        """tv_skip_connection_check is the system's (tests, demo data): a TV
        manager calling over RPC with it is refused, nothing saved and
        nothing sent; without it, saving tests the connection."""
        manager = self.env["res.users"].with_context(no_reset_password=True).create({
            "name": "TV manager", "login": "tv-manager-skip", "email": "tv-manager@example.com",
            "groups_id": [(6, 0, [self.env.ref("oletv_integration.group_tv_manager").id])]})
        count = self.env["tv.integration"].search_count([])
        skip = {"tv_skip_connection_check": True}
        with self.mock() as mock:
            with self.assertRaises(AccessError) as raised, self.env.cr.savepoint():
                rpc(manager, "tv.integration", "create", {
                    "name": "Unchecked", "environment": "homologation",
                    "access_token": "tok-SECRET-1", "api_login": "isp",
                    "api_password": "pw-SECRET-2"}, context=skip)
            self.assertIn("tv_skip_connection_check", raised.exception.name)
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                rpc(manager, "tv.integration", "write", self.integration.ids,
                    {"api_password": "wrong"}, context=skip)
            self.assertEqual(len(mock.calls), 0)
        self.assertEqual(self.env["tv.integration"].search_count([]), count)
        self.assertEqual(self.integration.api_password, "pw-SECRET-2")
        # without the key the check runs, and refuses what the platform refuses
        with self.mock() as mock:
            mock.add(responses.GET, self.url("/v1/ping"), status=401,
                     json=error_payload("unauthorized", "Invalid credentials"))
            with self.assertRaises(UserError), self.env.cr.savepoint():
                rpc(manager, "tv.integration", "write", self.integration.ids,
                    {"api_password": "wrong"})
        self.assertEqual(self.integration.api_password, "pw-SECRET-2")

    def test_one_integration_cannot_take_every_job_slot(self):
        """Every integration's jobs share the server's platform calls channel:
        a TV manager's limits stay within bounds."""
        for values in ({"max_concurrency": 17}, {"timeout_seconds": 121}):
            with self.assertRaises(ValidationError), self.env.cr.savepoint():
                self.integration.write(values)
        self.integration.write({"max_concurrency": 16, "timeout_seconds": 120})

    def test_production_refuses_plain_http(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "oletv_integration.production_url", "http://127.0.0.1:9")
        with self.assertRaises(ValidationError):
            self._create(environment="production")

    def test_missing_production_url_is_explained(self):
        self.env["ir.config_parameter"].sudo().set_param("oletv_integration.production_url", "")
        with self.assertRaises(UserError) as raised:
            self._create(environment="production")
        self.assertIn("oletv_integration.production_url", raised.exception.name)

    def test_sync_catalog_creates_updates_and_archives(self):
        with self.mock() as mock:
            mock.add(responses.GET, self.url("/v1/packages"), json={"packages": [
                {"code": "BASIC", "name": "Olé Básico", "kind": "main", "extra_point": False},
                {"code": "PREMIUM", "name": "Olé Premium", "kind": "main", "extra_point": False},
                {"code": "HBO", "name": "HBO", "kind": "additional", "extra_point": False},
                {"code": "EXTRA_POINT", "name": "Ponto adicional", "kind": "additional",
                 "extra_point": True},
            ]})
            mock.add(responses.GET, self.url("/v1/equipment-models"), json={"equipment_models": [
                {"code": "STB-X1", "name": "Set-top box X1"}, {"code": "STB-X2", "name": "X2"}]})
            self.integration.action_sync_catalog()
        packages = self.integration.package_ids
        self.assertEqual(set(packages.mapped("code")), {"BASIC", "PREMIUM", "HBO", "EXTRA_POINT"})
        self.assertEqual(self.pkg_basic.name, "Olé Básico")
        self.assertFalse(self.pkg_family.active, "a package gone from the platform is archived")
        self.assertEqual(len(self.integration.equipment_model_ids), 2)
        self.assertTrue(self.integration.catalog_date)

    def test_credentials_readable_only_by_managers(self):
        user = self.env["res.users"].create({
            "name": "Operator", "login": "tv-operator",
            "groups_id": [(6, 0, [self.env.ref("oletv_integration.group_tv_user").id])]})
        integration = self.integration.sudo(user)
        self.assertEqual(integration.name, "Olé TV test")
        with self.assertRaises(AccessError):
            integration.read(["access_token"])
        manager = self.env["res.users"].create({
            "name": "TV manager", "login": "tv-manager",
            "groups_id": [(6, 0, [self.env.ref("oletv_integration.group_tv_manager").id])]})
        self.assertEqual(self.integration.sudo(manager).api_password, "pw-SECRET-2")
