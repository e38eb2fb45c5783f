"""The addon's Odoo-free core (oletv_integration/core: channels, sync_plan,
access_rules, ...) loaded without the addon's __init__ (which loads the
Odoo models): for the plain pytest tests and the bench."""
import importlib
import os
import sys
import types

ADDON = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                     "oletv_integration")
CORE = os.path.join(ADDON, "core")


def load(name):
    """The core's module `name` (e.g. "sync_plan"), relative imports included."""
    package = types.ModuleType("oletv_pure")
    package.__path__ = [CORE]
    sys.modules.setdefault("oletv_pure", package)
    return importlib.import_module("oletv_pure." + name)
