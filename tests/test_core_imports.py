"""The Odoo-free core (oletv_integration/core) and the client import no
Odoo: a port to a newer Odoo reuses them unchanged (docs/porting.md)."""
import ast
import os

import pytest

from pure_addon import ADDON, CORE

CLIENT = os.path.join(ADDON, "oletv_client")


def _modules(folder):
    return sorted(os.path.join(folder, name) for name in os.listdir(folder)
                  if name.endswith(".py"))


def _imported(path):
    """Top-level names of every import in `path`: a relative import within
    its own package as '.', one reaching above it (`from ..models`) as
    '..' and the package it names."""
    with open(path, encoding="utf-8") as source:
        tree = ast.parse(source.read(), path)
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level > 1:
            names.add("..%s" % (node.module or ""))
        elif isinstance(node, ast.ImportFrom):
            names.add("." if node.level else node.module.split(".")[0])
    return names


def test_the_core_holds_the_rules():
    names = {os.path.basename(path) for path in _modules(CORE)}
    assert {"access_rules.py", "sync_plan.py", "delinquency_rules.py", "notice_rules.py",
            "customer_requests.py", "login_rules.py", "link_csv.py", "portal_status.py",
            "read_ahead.py", "channels.py", "bill_check.py"} <= names


@pytest.mark.parametrize("path", _modules(CORE) + _modules(CLIENT),
                         ids=lambda path: os.path.relpath(path, ADDON))
def test_no_odoo_import(path):
    imported = _imported(path)
    assert not imported & {"odoo", "openerp", "werkzeug", "psycopg2"}, imported
    # the addon's Odoo layer is reached only through a relative import
    # above the package: the core may use the client, nothing else
    assert {name for name in imported if name.startswith("..")} <= {"..oletv_client"}, \
        imported


def test_the_addon_outside_the_core_has_no_rules_module():
    """A rules module added beside the models instead of in the core fails here."""
    stray = [name for name in os.listdir(ADDON) if name.endswith(".py")
             and name not in ("__init__.py", "__manifest__.py", "rpc_retry.py")]
    assert not stray, stray


SERVICES = os.path.join(ADDON, "services")


@pytest.mark.parametrize("path", _modules(SERVICES), ids=lambda path: os.path.relpath(path, ADDON))
def test_services_do_not_import_the_models(path):
    """The models call the services, never the other way round: a helper a
    service needs lives in services/ or the core, not beside the models."""
    assert not [name for name in _imported(path) if name.startswith("..models")]


def test_the_models_folder_holds_models_only():
    """Each module under models/ defines an Odoo model (named after it)."""
    folder = os.path.join(ADDON, "models")
    strays = []
    for path in _modules(folder):
        if os.path.basename(path) == "__init__.py":
            continue
        with open(path, encoding="utf-8") as source:
            text = source.read()
        if "_name = " not in text and "_inherit = " not in text:
            strays.append(os.path.basename(path))
    assert not strays, strays
