# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The arguments of the addon's public methods, checked where they enter.

Every public method is an XML-RPC endpoint: its arguments arrive as whatever
the caller sent (a string for a date, a list for an id, None). Each is
checked here and refused with a readable, translated reason before anything
is written, never left to a Python error deeper down (a ValueError
traceback for "2026-02-30"). The checks are methods of `RpcArguments(env)`:
Odoo 11's `_()` reads the language from the calling frame's `self.env`
(over XML-RPC there is no web request to fall back on)."""
import re
from datetime import date, datetime

from odoo import _
from odoo.exceptions import UserError

MAX_TEXT = 500


def _absent(value):
    """None, False (Odoo's "no value") or an empty text; not 0."""
    return value is None or value is False or value == ""


class RpcArguments:
    """The checks of a public method's arguments, refused in the language of
    the caller (`env`)."""

    def __init__(self, env):
        self.env = env

    def refuse(self, label, expected, value):
        raise UserError(_("%(argument)s: %(expected)s expected, got %(value)s. Nothing was "
                          "changed.") % {"argument": label, "expected": expected,
                                         "value": repr(value)[:80]})

    def date(self, value, label):
        """A 'YYYY-MM-DD' string (or a date) -> date."""
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return datetime.strptime(value.strip(), "%Y-%m-%d").date()
            except ValueError:
                return self.refuse(label, _("a date YYYY-MM-DD"), value)
        return self.refuse(label, _("a date YYYY-MM-DD"), value)

    def integer(self, value, label, minimum=None, maximum=None, optional=False):
        """A whole number within [minimum, maximum]; None when optional and absent."""
        if optional and _absent(value):
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            if not (isinstance(value, str) and re.fullmatch(r"\s*[0-9]+\s*", value)):
                return self.refuse(label, _("a whole number"), value)
            value = int(value)
        if (minimum is not None and value < minimum) or \
                (maximum is not None and value > maximum):
            return self.refuse(label, _("a number from %(minimum)s to %(maximum)s") % {
                "minimum": minimum, "maximum": maximum}, value)
        return value

    def record_id(self, value, label):
        """A record id (a positive whole number)."""
        return self.integer(value, label, minimum=1)

    def text(self, value, label, max_length=MAX_TEXT, optional=True):
        """A text of at most max_length characters; None when optional and absent."""
        if optional and _absent(value):
            return None
        if not isinstance(value, str) or len(value) > max_length:
            return self.refuse(label, _("a text of at most %d characters") % max_length, value)
        return value

    def boolean(self, value, label):
        if not isinstance(value, bool):
            return self.refuse(label, _("true or false"), value)
        return value
