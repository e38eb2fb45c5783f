# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""One platform account never belongs to two TV users, enforced by the
database: per TV integration, one live (active, not deleted on the
platform) TV user per login, and one TV user per account number. The sync
adopts an existing subscriber only when its external reference names the TV
user (tv_user_sync.py). Databases of the first release may hold duplicates:
migrations/11.0.1.1.0/pre-migration.py resolves them before these indexes
are created."""
from odoo import api, models

LIVE_LOGIN_INDEX = "tv_user_live_login_uniq"
ACCOUNT_NUMBER_INDEX = "tv_user_account_number_uniq"
LIVE_LOGIN_WHERE = "platform_state != 'deleted' AND active"


class TvUser(models.Model):
    _inherit = "tv.user"

    @api.model_cr
    def init(self):
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS %s ON tv_user (integration_id, lower(login)) "
            "WHERE %s" % (LIVE_LOGIN_INDEX, LIVE_LOGIN_WHERE))
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS %s ON tv_user (integration_id, account_number) "
            "WHERE account_number IS NOT NULL" % ACCOUNT_NUMBER_INDEX)

    def _tv_live_twin(self, assume_live=False):
        """Another live TV user of the same integration with this login (the
        rule of the live login index, exact and case-insensitive: no
        wildcard), whatever its company; an empty recordset if none, or if
        this one is not live (unless assume_live: about to become live)."""
        self.ensure_one()
        live = assume_live or (self.active and self.platform_state != "deleted")
        if not (live and self.integration_id):
            return self.browse()
        self.env.cr.execute(
            "SELECT id FROM tv_user WHERE id != %s AND integration_id = %s "
            "AND lower(login) = lower(%s) AND " + LIVE_LOGIN_WHERE + " ORDER BY id LIMIT 1",
            (self.id or 0, self.integration_id.id, self.login))
        row = self.env.cr.fetchone()
        return self.browse(row[0] if row else [])

    def _tv_external_ref(self):
        """The reference sent with the create: the platform keeps it, and it
        proves a subscriber was created for this TV user."""
        self.ensure_one()
        return "odoo-tv-user-%d" % self.id
