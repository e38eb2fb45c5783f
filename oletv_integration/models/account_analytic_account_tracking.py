# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The chatter tracking of a status change of many contracts at once.

Odoo 11 tracks a field change with one `message_post` per record: the
thread's first message (the parent of a flat thread), the reply-to, the
message, its tracking values, the followers to notify: about 13 queries and
6 ms per contract, more than everything else a bulk block costs. The
messages of a status change are the same for every contract but for a few
values, so the first contract's message is posted by Odoo and the others are
copied from it in two INSERTs (the messages, then their tracking values),
with what differs per contract: the document, its name, the message id, the
thread's parent, the reply-to and the tracked old and new values.

Only a status change of the addon takes this path (`_set_contract_status`,
which sets `tv_access_changes` in the context), and only for contracts whose
tracking notifies nobody: a contract with a follower subscribed to internal
notes, or a subtype chosen by `_track_subtype`, gets Odoo's own message_post.
`tests/test_bulk_tracking.py` pins that a copy equals what message_post
writes, field by field, so an Odoo or mail change that breaks this fails
there."""
from odoo import api, models, tools

from .account_analytic_account import _AccessChanges

MAGIC = ("create_uid", "create_date", "write_uid", "write_date")


class AccountAnalyticAccount(models.Model):
    _inherit = "account.analytic.account"  # pylint: disable=consider-merging-classes-inherited

    @api.multi
    def message_track(self, tracked_fields, initial_values):
        changes = self.env.context.get("tv_access_changes")
        if not tracked_fields or len(self) < 2 or not isinstance(changes, _AccessChanges):
            return super().message_track(tracked_fields, initial_values)
        tracking = self._message_track_get_changes(tracked_fields, initial_values)
        changed = self.browse([record_id for record_id in self.ids
                               if tracking[record_id][0] and tracking[record_id][1]])
        quiet = changed._tv_quietly_tracked(tracking, initial_values)
        others = self - quiet
        if others:
            super(AccountAnalyticAccount, others).message_track(
                tracked_fields, {record_id: initial_values[record_id] for record_id in others.ids})
        if quiet:
            prototype = quiet[0].message_post(tracking_value_ids=tracking[quiet.ids[0]][1])
            quiet[1:]._tv_copy_tracking_message(prototype, tracking)
            quiet._message_track_post_template(
                {record_id: tracking[record_id] for record_id in quiet.ids})
        return True

    def _tv_quietly_tracked(self, tracking, initial_values):
        """These contracts but those whose tracking message notifies someone:
        a follower subscribed to internal notes (the subtype of a tracking
        message without one), or a subtype from _track_subtype."""
        note = self.env["ir.model.data"].xmlid_to_res_id("mail.mt_note")
        self.env.cr.execute(
            "SELECT DISTINCT f.res_id FROM mail_followers f "
            "JOIN mail_followers_mail_message_subtype_rel r ON r.mail_followers_id = f.id "
            "WHERE f.res_model = %s AND f.res_id IN %s AND r.mail_message_subtype_id = %s",
            (self._name, tuple(self.ids), note))
        notified = {row[0] for row in self.env.cr.fetchall()}
        return self.filtered(lambda record: record.id not in notified and not record._track_subtype(
            {name: initial_values[record.id][name] for name in tracking[record.id][0]}))

    def _tv_copy_tracking_message(self, prototype, tracking):
        """One copy of `prototype` (a tracking message posted by Odoo) per
        contract of self, each with its own tracking values."""
        if not self:
            return
        messages = self.env["mail.message"]
        email_from = prototype.email_from
        reply_to = self.message_get_reply_to(self.ids, default=email_from)
        names = self.env.context["tv_access_changes"].names  # read once by the status change
        if not set(self.ids) <= set(names):
            names = dict(self.sudo().name_get())
        parents = self._tv_thread_parents()
        columns = [name for name, field in messages._fields.items()
                   if field.store and field.column_type and name != "id"]
        varying = ("res_id", "record_name", "message_id", "parent_id", "reply_to")
        # pylint: disable=sql-injection
        # (column names come from the mail.message model's own fields)
        self.env.cr.execute(
            "INSERT INTO mail_message (%s) SELECT %s FROM unnest(%%s::int[], %%s::varchar[], "
            "%%s::varchar[], %%s::int[], %%s::varchar[]) AS v(%s), mail_message p "
            "WHERE p.id = %%s RETURNING id, res_id" % (
                ", ".join('"%s"' % name for name in columns),
                ", ".join(("v.%s" if name in varying else 'p."%s"') % name for name in columns),
                ", ".join(varying)),
            (self.ids, [names[record_id] for record_id in self.ids],
             [tools.generate_tracking_message_id("%s-%s" % (record_id, self._name))
              for record_id in self.ids],
             [parents.get(record_id) for record_id in self.ids],
             [reply_to[record_id] for record_id in self.ids], prototype.id))
        message_of = {res_id: message_id for message_id, res_id in self.env.cr.fetchall()}
        self._tv_insert_tracking_values(
            [(message_of[record_id], command[2])
             for record_id in self.ids for command in tracking[record_id][1]])
        self.invalidate_cache(ids=self.ids)  # as mail.message._invalidate_documents

    def _tv_thread_parents(self):
        """{contract id: its thread's first message} as message_post finds
        it for a flat thread (the first e-mail, else the first message)."""
        if not self._mail_flat_thread:
            return {}
        self.env.cr.execute(
            "SELECT DISTINCT ON (res_id) res_id, id FROM mail_message "
            "WHERE model = %s AND res_id IN %s ORDER BY res_id, message_type != 'email', id",
            (self._name, tuple(self.ids)))
        return dict(self.env.cr.fetchall())

    def _tv_insert_tracking_values(self, rows):
        """rows: [(mail.message id, values of mail.tracking.value)]."""
        if not rows:
            return
        columns = sorted({name for _message_id, values in rows for name in values})
        template = "(%s, %%s, now() at time zone 'UTC', %%s, now() at time zone 'UTC')" \
            % ", ".join(["%s"] * (len(columns) + 1))
        uid = self.env.uid
        sql_rows = [self.env.cr.mogrify(template, [message_id] + [
            values.get(name) for name in columns] + [uid, uid]).decode()
            for message_id, values in rows]
        # pylint: disable=sql-injection
        # (column names are mail.tracking.value's, rows are mogrified)
        self.env.cr.execute("INSERT INTO mail_tracking_value (mail_message_id, %s, %s) VALUES %s"
                            % (", ".join('"%s"' % name for name in columns),
                               ", ".join(MAGIC), ", ".join(sql_rows)))
