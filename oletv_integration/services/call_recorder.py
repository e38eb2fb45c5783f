# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the client reports of its calls, kept for the audit trail (tv.api.call)."""


class CallRecorder(list):
    """The client's call_observer: keeps the CallRecords of one conversation."""

    def __call__(self, record):
        self.append(record)
