# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What makes a TV login and a MAC address list acceptable (no Odoo
import): the TV user's checks, the sales flow's proposals and the link of
existing subscribers share these rules."""
import re

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z0-9-]{2,}$")
MAC_RE = re.compile(r"^[0-9A-F]{2}([:-][0-9A-F]{2}){5}$")
MAX_LOGIN_LENGTH = 254  # an e-mail address's maximum, the platform's limit
# A first character that makes a spreadsheet read the cell as a formula
# (CSV injection in the platform's exports): the platform refuses it.
FORMULA_CHARS = ("=", "+", "-", "@")


def split_macs(text):
    """One MAC per line (or comma separated) -> (canonical text, invalid
    MACs); the canonical text uses colons and upper case."""
    macs = [part.strip().upper() for part in re.split(r"[\s,;]+", text or "") if part.strip()]
    invalid = [mac for mac in macs if not MAC_RE.match(mac)]
    return "\n".join(mac.replace("-", ":") for mac in macs), invalid
