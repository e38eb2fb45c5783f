# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The tracking messages of a bulk status change (models/
account_analytic_account_tracking.py) are copies of the first contract's,
posted by Odoo: each must equal what Odoo's own message_post writes for a
contract changed alone, field by field."""

from .common import OleTVCase

# what differs between two contracts' tracking messages by nature
OWN = {"id", "res_id", "record_name", "message_id", "parent_id", "date", "create_date",
       "write_date", "tracking_value_ids", "__last_update", "display_name"}
NOTICES_OFF = {"notify_welcome": False, "notify_late_notice": False, "notify_reduced": False,
               "notify_suspended": False, "notify_released": False}


class TestBulkTracking(OleTVCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["tv.delinquency.policy"].search([]).write(NOTICES_OFF)
        cls.contracts = [cls.make_contract(cls.env["res.partner"].create(
            {"name": "Customer %d" % index, "email": "c%d@example.com" % index}))
            for index in range(4)]
        cls.alone, cls.bulk = cls.contracts[0], cls.contracts[1:]

    def block(self, contracts):
        self.env["account.analytic.account"].browse(
            [contract.id for contract in contracts]).action_contract_block()

    def status_message(self, contract, new_value="Blocked"):
        messages = self.env["mail.message"].search(
            [("model", "=", contract._name), ("res_id", "=", contract.id),
             ("tracking_value_ids.field", "=", "contract_status"),
             ("tracking_value_ids.new_value_char", "=", new_value)])
        self.assertEqual(len(messages), 1, "one tracking message per status change")
        return messages

    def stored(self, message):
        names = [name for name, field in message._fields.items()
                 if field.store and name not in OWN]
        values = message.read(names)[0]
        del values["id"]
        return values

    @staticmethod
    def values(message):
        return sorted((value.field, value.field_desc, value.field_type, value.old_value_char,
                       value.new_value_char, value.old_value_integer, value.new_value_integer,
                       value.old_value_datetime, value.new_value_datetime)
                      for value in message.tracking_value_ids)

    def thread_parent(self, contract, message):
        """The parent Odoo's message_post gives a flat thread's message."""
        domain = [("model", "=", contract._name), ("res_id", "=", contract.id),
                  ("id", "!=", message.id)]
        return (self.env["mail.message"].search(domain + [("message_type", "=", "email")],
                                                order="id", limit=1)
                or self.env["mail.message"].search(domain, order="id", limit=1))

    def test_copies_equal_odoo_message(self):
        self.block([self.alone])  # alone: Odoo's own message_post
        self.block(self.bulk)  # the first posted by Odoo, the others copied
        reference = self.status_message(self.alone)
        self.assertTrue(reference.tracking_value_ids)
        for contract in self.bulk:
            message = self.status_message(contract)
            self.assertEqual(self.stored(message), self.stored(reference), contract.name)
            self.assertEqual(self.values(message), self.values(reference))
            self.assertEqual(message.record_name, contract.display_name)
            self.assertEqual(message.parent_id, self.thread_parent(contract, message))
            self.assertTrue(message.parent_id, "a contract's thread starts at its creation")
            self.assertNotEqual(message.message_id, reference.message_id)
            self.assertIn("%d-%s" % (contract.id, contract._name), message.message_id)
        # and the chatter shows them the same way
        shown = self.env["mail.message"].browse(
            [self.status_message(contract).id for contract in self.contracts]).message_format()
        for entry in shown:
            self.assertEqual(entry["tracking_value_ids"][0]["new_value"], "Blocked")
            self.assertEqual(entry["author_id"], shown[0]["author_id"])

    def test_old_values_are_each_contracts_own(self):
        self.bulk[0].action_contract_late_notice()
        self.block(self.bulk)
        old = [self.status_message(contract).tracking_value_ids.filtered(
            lambda value: value.field == "contract_status").old_value_char
            for contract in self.bulk]
        self.assertEqual(old, ["Late notice", "Active", "Active"])

    def test_follower_of_notes_is_notified(self):
        """A contract whose tracking notifies a follower goes through Odoo."""
        note = self.env.ref("mail.mt_note")
        watcher = self.env["res.users"].with_context(no_reset_password=True).create({
            "name": "Watcher", "login": "tracking-watcher", "email": "w@example.com",
            "groups_id": [(6, 0, self.env.ref("base.group_user").ids)]}).partner_id
        self.bulk[1].message_subscribe(partner_ids=watcher.ids, subtype_ids=note.ids)
        self.block(self.bulk)
        self.assertIn(watcher, self.status_message(self.bulk[1]).needaction_partner_ids)
        self.assertNotIn(watcher, self.status_message(self.bulk[2]).needaction_partner_ids)

    def test_queries_do_not_grow_with_tracking(self):
        """Odoo's message_post costs about 13 queries per contract; the
        copies cost the same two INSERTs for any number of contracts."""
        small = [self.make_contract(self.partner) for _index in range(3)]
        large = [self.make_contract(self.partner) for _index in range(13)]
        counts = []
        for contracts in (small, large):
            self.env.clear()
            before = self.env.cr.sql_log_count
            self.block(contracts)
            counts.append(self.env.cr.sql_log_count - before)
        self.assertLessEqual((counts[1] - counts[0]) / 10.0, 4, counts)
        for contract in small + large:
            self.status_message(contract)
