# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""migrations/11.0.1.1.0/pre-migration.py: duplicates a first-release
database may hold are resolved, then the unique indexes can be created."""
import importlib.util
import os

from .common import OleTVCase

SCRIPT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                      "migrations", "11.0.1.1.0", "pre-migration.py")


def load_migration():
    spec = importlib.util.spec_from_file_location("oletv_pre_migration_11_0_1_1_0", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestMigrationDuplicates(OleTVCase):

    def setUp(self):
        super().setUp()
        cr = self.env.cr  # as in a 11.0.1.0.0 database (rolled back with the test)
        cr.execute("DROP INDEX tv_user_live_login_uniq; DROP INDEX tv_user_account_number_uniq")
        self.model = self.env["tv.user"].with_context(tv_no_platform_sync=True)

    def user(self, email, login, account, state, created):
        partner = self.env["res.partner"].create({"name": email, "email": email})
        contract = self.make_contract(partner, [self.tv_product])
        user = self.model.create({"contract_id": contract.id, "product_id": self.tv_product.id})
        self.env.cr.execute(
            "UPDATE tv_user SET login = %s, account_number = %s, platform_state = %s, "
            "sync_state = 'synced', create_date = %s WHERE id = %s",
            (login, account, state, created, user.id))
        return user

    def track_binding(self, user, account, date):
        message = self.env["mail.message"].create({
            "model": "tv.user", "res_id": user.id, "date": date, "message_type": "notification"})
        self.env["mail.tracking.value"].create({
            "mail_message_id": message.id, "field": "account_number", "field_desc": "Account",
            "field_type": "char", "new_value_char": account})

    def test_keeps_the_first_binding_and_explains_the_others(self):
        # the case: `old` deleted on the panel, `new` created the
        # subscriber, then Re-create on `old` adopted it
        old = self.user("old@example.com", "tv@example.com", "OLE-2", "active", "2026-01-01")
        new = self.user("new@example.com", "TV@example.com", "OLE-2", "active", "2026-02-01")
        self.track_binding(new, "OLE-2", "2026-02-01 10:00:00")
        self.track_binding(old, "OLE-2", "2026-03-01 10:00:00")
        # same login, one bound and one never created (no account): the bound one wins
        bound = self.user("b@example.com", "same@example.com", "OLE-5", "active", "2026-02-01")
        draft = self.user("d@example.com", "same@example.com", None, "draft", "2026-01-01")
        # no duplicate: untouched
        alone = self.user("a@example.com", "alone@example.com", "OLE-9", "blocked", "2026-01-01")

        unlinked, logins = load_migration().resolve_duplicates(self.env.cr)
        self.env["tv.user"].invalidate_cache()

        self.assertEqual((unlinked, logins), ([old.id], [draft.id]))
        self.assertEqual((new.account_number, new.platform_state, new.sync_state),
                         ("OLE-2", "active", "synced"))
        self.assertEqual((old.account_number, old.platform_state, old.sync_state),
                         (False, "deleted", "error"))
        self.assertIn("OLE-2", old.sync_error)
        self.assertIn(new.contract_id.name, old.sync_error)
        self.assertEqual((bound.platform_state, draft.platform_state), ("active", "deleted"))
        self.assertIn("same@example.com", draft.sync_error)
        self.assertEqual((alone.platform_state, alone.sync_state), ("blocked", "synced"))
        self.env["tv.user"].init()  # the unique indexes can now be created
        self.env.cr.execute("SELECT count(*) FROM pg_indexes WHERE indexname IN "
                            "('tv_user_live_login_uniq', 'tv_user_account_number_uniq')")
        self.assertEqual(self.env.cr.fetchone()[0], 2)

    def test_without_tracking_the_oldest_record_keeps_the_account(self):
        first = self.user("f@example.com", "x@example.com", "OLE-3", "active", "2026-01-01")
        second = self.user("s@example.com", "y@example.com", "OLE-3", "active", "2026-02-01")
        load_migration().migrate(self.env.cr, "11.0.1.0.0")
        self.env["tv.user"].invalidate_cache()
        self.assertEqual((first.account_number, second.account_number), ("OLE-3", False))
        self.assertEqual(second.sync_state, "error")
