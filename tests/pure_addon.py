"""The addon's Odoo-free modules (access_rules, sync_plan, ...) for the
plain pytest tests, loaded through the addon's package without its
__init__ (which loads the Odoo models)."""
import importlib
import os
import sys
import types

ADDON = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                     "oletv_integration")


def load(name):
    """The addon's module `name` (e.g. "sync_plan"), relative imports included."""
    package = types.ModuleType("oletv_pure")
    package.__path__ = [ADDON]
    sys.modules.setdefault("oletv_pure", package)
    return importlib.import_module("oletv_pure." + name)
