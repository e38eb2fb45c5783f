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
# What a spreadsheet also reads as the start of a formula in a text cell of
# a file the addon writes (a tab or a carriage return before one of them)
CELL_FORMULA_CHARS = FORMULA_CHARS + ("\t", "\r")


def spreadsheet_text(value):
    """A text cell of a CSV the addon writes that a spreadsheet will not
    read as a formula: quoted with a leading apostrophe when it starts like
    one (what any employee, customer or platform subscriber typed: a
    package's name, a bill's line, a login)."""
    value = value or ""
    return "'" + value if value.startswith(CELL_FORMULA_CHARS) else value


def split_macs(text):
    """One MAC per line (or comma separated) -> (canonical text, invalid
    MACs); the canonical text uses colons and upper case."""
    macs = [part.strip().upper() for part in re.split(r"[\s,;]+", text or "") if part.strip()]
    invalid = [mac for mac in macs if not MAC_RE.match(mac)]
    return "\n".join(mac.replace("-", ":") for mac in macs), invalid
