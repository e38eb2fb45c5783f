# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Real HTTP requests to the customer portal inside a test's transaction.

Odoo 11's HttpCase opens the test's cursor before the registry's test mode,
so what a test creates is invisible to its requests. Here the registry
enters test mode first: the test and the requests share its one cursor
(requests "commit" to a savepoint), and everything is rolled back at the
end. The requests are served by a WSGI server of Odoo's application on a
free port of 127.0.0.1, started once per process (pytest-odoo starts no
HTTP server)."""
import threading

import requests
from lxml import html
from werkzeug.serving import make_server

import odoo
from odoo.service import security, wsgi_server
from odoo.sql_db import TestCursor
from odoo.tests.common import TransactionCase, get_db_name

_SERVER = {}


def portal_base_url():
    if "url" not in _SERVER:
        server = make_server("127.0.0.1", 0, wsgi_server.application, threaded=True)
        thread = threading.Thread(target=server.serve_forever, name="oletv.portal.httpd")
        thread.daemon = True
        thread.start()
        _SERVER["url"] = "http://127.0.0.1:%d" % server.server_port
    return _SERVER["url"]


class PortalHttpCase(TransactionCase):

    def setUp(self):
        registry = odoo.registry(get_db_name())
        registry.enter_test_mode()
        self.addCleanup(registry.leave_test_mode)
        super().setUp()  # self.cr is now the test cursor, shared with the requests
        self.base_url = portal_base_url()
        self.opener = None

    def login_as(self, user):
        """A session of `user`, as Odoo's login would make it."""
        session = odoo.http.root.session_store.new()
        session.db = get_db_name()
        session.uid = user.id
        session.login = user.login
        session.session_token = security.compute_session_token(session, self.env)
        session.context = user.sudo(user).context_get() or {}
        session.context["uid"] = user.id
        session._fix_lang(session.context)
        odoo.http.root.session_store.save(session)
        self.opener = requests.Session()
        self.opener.cookies["session_id"] = session.sid
        return self.opener

    def anonymous(self):
        self.opener = requests.Session()
        return self.opener

    def get(self, path, allow_redirects=True):
        """GET `path` as the current session; the test's writes so far are
        kept (a request's end rolls back to the last simulated commit)."""
        # the registry's test cursor: its commit moves a savepoint, the
        # transaction is rolled back at the end of the test
        assert isinstance(self.cr, TestCursor), "not in the registry's test mode"
        self.cr.commit()  # pylint: disable=invalid-commit
        self.cr.release()
        try:
            return self.opener.get(self.base_url + path, timeout=60,
                                   allow_redirects=allow_redirects)
        finally:
            self.cr.acquire()
            self.env.cache.invalidate()

    def post(self, path, data, allow_redirects=True):
        """POST the form `data` to `path` as the current session, like get().
        The decimal precisions are cached first: on a cache miss a float
        field opens a registry cursor (LazyCursor), which in test mode is
        the shared one, and its close "commits" (releases every savepoint):
        a savepoint the request holds then would be gone (in production that
        cursor is another transaction)."""
        assert isinstance(self.cr, TestCursor), "not in the registry's test mode"
        precisions = self.env["decimal.precision"]
        for name in precisions.search([]).mapped("name"):
            precisions.precision_get(name)
        self.cr.commit()  # pylint: disable=invalid-commit
        self.cr.release()
        try:
            return self.opener.post(self.base_url + path, data=data, timeout=60,
                                    allow_redirects=allow_redirects)
        finally:
            self.cr.acquire()
            self.env.cache.invalidate()

    @staticmethod
    def cards(response):
        """{tv user id: its panel element} of a /my/tv page."""
        tree = html.fromstring(response.text)
        return {int(card.get("data-tv-user-id")): card for card in by_class(tree, "o_tv_card")}

    @staticmethod
    def text(element, css_class):
        """The whitespace-normalized text of the first element of that class."""
        found = by_class(element, css_class)
        return " ".join(found[0].text_content().split()) if found else None


def by_class(element, css_class):
    return element.xpath(".//*[contains(concat(' ', normalize-space(@class), ' '), ' %s ')]"
                         % css_class)
