# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""11.0.1.1.0: resolve TV users bound to one platform account before the
unique indexes are created (models/tv_user.py init():
``tv_user_account_number_uniq`` on (integration_id, account_number) where
account_number is not null, ``tv_user_live_login_uniq`` on (integration_id,
lower(login)) where platform_state != 'deleted' and active).

The first release could bind two TV users to one subscriber (a user deleted
on the panel, re-created while another contract's TV user had the login:
the re-create adopted the other's subscriber). Per integration:

1. Same account number on several TV users: the one that bound it first
   keeps it. "First" is the date the account number was written on it (the
   chatter's tracking of the account number), or its creation date when no
   tracking exists; within the same second (the chatter's dates have no
   finer resolution) the earlier tracking message wins, then the lower id.
   Each of the others loses the account number (it is the keeper's account
   on the platform: deleting or blocking it from this TV user would hit the
   other customer), is marked
   deleted on the platform (it has no account of its own there) and shows a
   sync error saying which TV user and contract keep the account and what to
   do: check the customer, then *Re-create on platform* (with a login of its
   own while the other keeps it) or delete the TV user. Nothing is sent to
   the platform.
2. Then, same login (case-insensitive) on several live TV users (active,
   not deleted on the platform): a TV user with an account number wins over
   one without, then the first binding as above. The others are marked
   deleted on the platform with the same kind of sync error; they keep their
   account number (history; the platform holds one live subscriber per
   login, so at most one of these accounts is live there, and the message
   names it so the operator can check it on the panel).

Archived TV users waiting for their deletion keep it unless they lose an
account number (then the account is the keeper's and is not deleted).
Messages are in English (the migration runs without a user language)."""
import logging

_logger = logging.getLogger(__name__)

PREFIX = "Upgrade to 11.0.1.1.0: "

BINDINGS = """
    CREATE TEMPORARY TABLE oletv_binding ON COMMIT DROP AS
    SELECT u.id, COALESCE(bound.date, u.create_date) AS bound_at, bound.message_id
    FROM tv_user u
    LEFT JOIN LATERAL (
        SELECT m.date, m.id AS message_id FROM mail_message m
        JOIN mail_tracking_value t ON t.mail_message_id = m.id
        WHERE m.model = 'tv.user' AND m.res_id = u.id AND t.field = 'account_number'
          AND t.new_value_char = u.account_number
        ORDER BY m.id DESC LIMIT 1) bound ON TRUE
"""

SHARED_ACCOUNTS = """
    WITH ranked AS (
        SELECT u.id, u.account_number,
               first_value(u.id) OVER w AS keeper, row_number() OVER w AS rank
        FROM tv_user u JOIN oletv_binding b ON b.id = u.id
        WHERE u.account_number IS NOT NULL AND u.integration_id IS NOT NULL
        WINDOW w AS (PARTITION BY u.integration_id, u.account_number
                     ORDER BY b.bound_at, b.message_id NULLS LAST, u.id)
    )
    UPDATE tv_user u SET
        account_number = NULL, platform_state = 'deleted', sync_state = 'error',
        write_date = now() at time zone 'UTC',
        sync_error = %(prefix)s || 'this TV user and the TV user ' || k.login
            || ' of contract ' || COALESCE(c.name, '?') || ' were both bound to Olé TV account '
            || r.account_number || ', which can belong to only one TV user. The one that '
            || 'held it first keeps it; this one was unlinked from it and is shown as deleted '
            || 'on the platform (it has no account of its own there). Check the customer, '
            || 'then Re-create on platform (with a login of its own while the other keeps it) '
            || 'or delete this TV user.'
    FROM ranked r
    JOIN tv_user k ON k.id = r.keeper
    LEFT JOIN account_analytic_account c ON c.id = k.contract_id
    WHERE u.id = r.id AND r.rank > 1
    RETURNING u.id
"""

SHARED_LOGINS = """
    WITH ranked AS (
        SELECT u.id, first_value(u.id) OVER w AS keeper, row_number() OVER w AS rank
        FROM tv_user u JOIN oletv_binding b ON b.id = u.id
        WHERE u.platform_state != 'deleted' AND u.active AND u.integration_id IS NOT NULL
        WINDOW w AS (PARTITION BY u.integration_id, lower(u.login)
                     ORDER BY u.account_number IS NULL, b.bound_at, b.message_id NULLS LAST,
                              u.id)
    )
    UPDATE tv_user u SET
        platform_state = 'deleted', sync_state = 'error',
        write_date = now() at time zone 'UTC',
        sync_error = %(prefix)s || 'the login ' || u.login || ' is also used by the TV user of '
            || 'contract ' || COALESCE(c.name, '?') || ' (Olé TV account '
            || COALESCE(k.account_number, 'none yet') || '), and only one live TV user may use '
            || 'a login. That one keeps it; this one is shown as deleted on the platform'
            || COALESCE(' (its former account ' || u.account_number || ': check it on the '
                        || 'Olé TV panel)', '')
            || '. Re-create on platform with a login of its own, or delete this TV user.'
    FROM ranked r
    JOIN tv_user k ON k.id = r.keeper
    LEFT JOIN account_analytic_account c ON c.id = k.contract_id
    WHERE u.id = r.id AND r.rank > 1
    RETURNING u.id
"""


def resolve_duplicates(cr):
    """Return (ids unlinked from a shared account, ids that lost a shared login)."""
    cr.execute(BINDINGS)
    cr.execute(SHARED_ACCOUNTS, {"prefix": PREFIX})
    accounts = sorted(row[0] for row in cr.fetchall())
    cr.execute(SHARED_LOGINS, {"prefix": PREFIX})
    logins = sorted(row[0] for row in cr.fetchall())
    cr.execute("DROP TABLE oletv_binding")
    if accounts or logins:
        _logger.warning("oletv_integration: %d TV user(s) unlinked from an account bound to "
                        "another TV user (ids %s), %d TV user(s) sharing a live login marked "
                        "deleted (ids %s); see their sync error.",
                        len(accounts), accounts, len(logins), logins)
    return accounts, logins


def migrate(cr, version):
    if not version:
        return
    cr.execute("SELECT 1 FROM information_schema.tables WHERE table_name = 'tv_user'")
    if cr.fetchone():
        resolve_duplicates(cr)
