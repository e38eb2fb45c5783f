# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The addon's own refusals: the Odoo layer stops one TV user's sync for a
reason of its own (nothing more is sent to the platform). The client's
exceptions (oletv_client) are the platform's answers; these are never
raised by the client, nor faked as one of its answers, and their text is
the addon's own words: never shown as the platform's (no "Olé TV error")."""


class SyncRefused(Exception):
    """The sync of one TV user stops here, permanently (a visible error and
    an activity, like a platform refusal; Retry sync queues it again).
    `message`: the explanation (translated)."""

    transient = False

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        # what the link of existing subscribers shows as a row's reason: the
        # addon's explanation as it is, translated where it was raised
        return self.message


class LoginTaken(SyncRefused):
    """The login belongs to a platform subscriber this TV user's create did
    not make: it is not linked."""


class UnknownStatus(SyncRefused):
    """The platform answered a status the addon does not know: nothing is
    changed."""


class NotSettled(SyncRefused):
    """The sync made its maximum of platform calls without reaching a final
    step."""


class DocumentRefused(SyncRefused):
    """The customer's CPF/CNPJ is not valid (services/customer_documents.py):
    its TV user is not created on the platform."""
