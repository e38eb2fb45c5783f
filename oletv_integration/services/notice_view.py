# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What a notice template sees: plain values, never records
(models/mail_template.py renders with them, services/customer_notices.py
prepares them)."""

# context key of the notices' plain values, {record id: dict}
OBJECTS_KEY = "tv_notice_objects"


class NoticeView(object):
    """Read-only attributes from a dict (nested dicts are views too): what a
    notice template may show, and nothing else. A name it does not have, at
    any depth, is an empty view that renders as nothing (an ISP's template
    asking for `object.user_id.name` still sends, without it)."""

    def __init__(self, values):
        self._values = values

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        value = self._values.get(name, {})
        return NoticeView(value) if isinstance(value, dict) else value

    def __str__(self):
        return str(self._values.get("name") or "")

    def __bool__(self):
        return bool(self._values)

    def __iter__(self):
        return iter(())
