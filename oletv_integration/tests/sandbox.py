# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Access to the project's Olé TV sandbox (a dev tool at the repository
root, next to the addon) for the end-to-end tests."""
import os
import sys

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
if REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)

from oletv_sandbox.testing import SandboxServer  # noqa: E402,F401
