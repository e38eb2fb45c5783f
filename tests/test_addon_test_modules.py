"""Odoo's own test runner (--test-enable, runbot, OCA CI) only runs the
addon's test modules that oletv_integration/tests/__init__.py imports."""
import ast
import os

TESTS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                     "oletv_integration", "tests")


def test_every_addon_test_module_is_imported_for_odoos_runner():
    with open(os.path.join(TESTS, "__init__.py")) as handle:
        imported = {alias.name for node in ast.parse(handle.read()).body
                    if isinstance(node, ast.ImportFrom) for alias in node.names}
    modules = {name[:-3] for name in os.listdir(TESTS)
               if name.startswith("test_") and name.endswith(".py")}
    assert modules - imported == set()
