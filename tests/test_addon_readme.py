"""The addon's README.rst (its Apps page in Odoo 11) is generated from
readme/*.rst and renders without a docutils warning."""
import io
import os
import subprocess
import sys

from docutils.core import publish_string

from conftest import REPO_ROOT


def test_readme_is_generated_from_the_fragments():
    result = subprocess.run([sys.executable, os.path.join(REPO_ROOT, "scripts",
                                                          "gen_addon_readme.py"), "--check"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert result.returncode == 0, result.stdout.decode()


def test_readme_renders_without_warnings():
    with io.open(os.path.join(REPO_ROOT, "oletv_integration", "README.rst"),
                 encoding="utf-8") as handle:
        text = handle.read()
    warnings = io.StringIO()
    html = publish_string(text, writer_name="html", settings_overrides={
        "report_level": 2, "halt_level": 5, "warning_stream": warnings,
        "output_encoding": "unicode"})
    assert not warnings.getvalue(), warnings.getvalue()
    assert "Olé TV Integration" in html and "Contributors" in html
