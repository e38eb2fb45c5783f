"""The addon's Odoo-free core for the plain pytest tests: see
oletv_testing/core.py (shared with the bench)."""
from oletv_testing.core import ADDON, CORE, load  # noqa: F401
