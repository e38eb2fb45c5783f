"""The addon as a wheel (setuptools-odoo, setup/), installed into a clean
CPython 3.7 environment beside Odoo (.local/wheel-venv: only Odoo and its
libraries), then installed by Odoo on a fresh database with an addons path
that does not hold this repository. Run by `make test` on the CPython 3.12
venv (which builds the wheel); needs the private PostgreSQL cluster."""
import ast
import os
import subprocess
import zipfile
from email.parser import Parser

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LOCAL = os.path.join(ROOT, ".local")
DIST = os.path.join(LOCAL, "dist")
WHEEL_VENV = os.path.join(LOCAL, "wheel-venv")
WPY = os.path.join(WHEEL_VENV, "bin", "python")
SITE = os.path.join(WHEEL_VENV, "lib", "python3.7", "site-packages")
PG_PORT = os.environ.get("OLETV_PG_PORT", "54329")
DB = os.environ.get("OLETV_WHEEL_DB", "oletv_wheel")
CONF = os.path.join(LOCAL, "wheel-odoo.conf")
LOG = os.path.join(LOCAL, "wheel-odoo-init.log")

with open(os.path.join(ROOT, "oletv_integration", "__manifest__.py")) as _handle:
    MANIFEST = ast.literal_eval(_handle.read())


def run(*command, **kwargs):
    return subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True,
                          **kwargs)


def psql(sql, user="odoo", db=DB):
    env = dict(os.environ, PGPASSWORD="odoo")
    return run("psql", "-X", "-q", "-h", "127.0.0.1", "-p", PG_PORT, "-U", user, "-d", db,
               "-v", "ON_ERROR_STOP=1", "-tAc", sql, env=env).stdout.strip()


@pytest.fixture(scope="module")
def installed():
    """Build the wheels, reset the clean venv and install the addon wheel."""
    try:
        result = run("bash", "scripts/wheel.sh", "install")
    except subprocess.CalledProcessError as error:
        pytest.fail("scripts/wheel.sh install failed:\n{}\n{}".format(
            error.stdout[-3000:], error.stderr[-3000:]))
    return result.stdout


@pytest.fixture(scope="module")
def addon_wheel(installed):
    wheels = [name for name in os.listdir(DIST)
              if name.startswith("odoo11_addon_oletv_integration-")]
    assert len(wheels) == 1, wheels
    return zipfile.ZipFile(os.path.join(DIST, wheels[0]))


def metadata(wheel):
    name = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
    return Parser().parsestr(wheel.read(name).decode())


def test_wheel_name_version_and_requirements(addon_wheel):
    meta = metadata(addon_wheel)
    assert meta["Name"] == "odoo11-addon-oletv_integration"
    assert meta["Version"] == MANIFEST["version"]
    requirements = {canonicalize_name(Requirement(r).name): str(Requirement(r).specifier)
                    for r in meta.get_all("Requires-Dist")}
    # Odoo 11.0 itself, the two OCA addons of the manifest's depends (the others
    # are Odoo's own), and the manifest's external Python dependencies
    # (python-stdnum: the CPF/CNPJ checks).
    assert requirements == {"odoo": "<11.1dev,>=11.0a", "odoo11-addon-contract": "",
                            "odoo11-addon-queue-job": "", "requests": "", "python-stdnum": ""}


def test_wheel_holds_every_file_of_the_addon(addon_wheel):
    tracked = set(run("git", "ls-files", "oletv_integration").stdout.split())
    packaged = {name[len("odoo/addons/"):] for name in addon_wheel.namelist()
                if name.startswith("odoo/addons/")}
    assert packaged == tracked
    assert "oletv_integration/readme/DESCRIPTION.rst" in packaged
    assert "oletv_integration/README.rst" in packaged


def test_clean_venv_got_the_addon_and_its_dependencies_from_the_wheel(installed):
    base = set(open(os.path.join(WHEEL_VENV, "base-freeze.txt")).read().split("\n"))
    assert not any(line.startswith(("odoo11-addon", "odoo ", "odoo==")) for line in base)
    added = run(WPY, "-m", "pip", "freeze", "--all").stdout.split("\n")
    added = sorted(canonicalize_name(line.split("==")[0].split(" @ ")[0])
                   for line in added if line and line not in base)
    assert added == ["odoo", "odoo11-addon-contract", "odoo11-addon-oletv-integration",
                     "odoo11-addon-queue-job"]
    for addon in ("oletv_integration", "contract", "queue_job"):
        assert os.path.isfile(os.path.join(SITE, "odoo", "addons", addon, "__manifest__.py"))
    # the addon is a copy in the venv, not a link to the repository
    assert not os.path.islink(os.path.join(SITE, "odoo", "addons", "oletv_integration"))


@pytest.fixture(scope="module")
def odoo_install(installed):
    """`odoo-bin -i oletv_integration` on a fresh database, addons path: Odoo's
    default (the venv's odoo/addons), never this repository."""
    with open(CONF, "w") as handle:
        handle.write("\n".join([
            "[options]",
            "data_dir = " + os.path.join(LOCAL, "wheel-data"),
            "db_host = 127.0.0.1", "db_port = " + PG_PORT,
            "db_user = odoo", "db_password = odoo", "list_db = False", "log_level = info", ""]))
    psql('DROP DATABASE IF EXISTS "{}"'.format(DB), user="postgres", db="postgres")
    with open(LOG, "w") as log:
        process = subprocess.run(
            [WPY, os.path.join(ROOT, "scripts", "odoo-bin"), "-c", CONF, "-d", DB,
             "-i", "oletv_integration", "--without-demo=all", "--stop-after-init", "--no-http"],
            cwd=LOCAL, stdout=log, stderr=subprocess.STDOUT, timeout=900)
    with open(LOG) as log:
        return process.returncode, log.read()


def test_odoo_installs_the_module_from_the_wheel(odoo_install):
    returncode, log = odoo_install
    problems = [line for line in log.splitlines() if " ERROR " in line or " CRITICAL " in line]
    assert returncode == 0 and not problems, "see {}: {}".format(LOG, problems[:5])
    line = next(line for line in log.splitlines() if "addons paths:" in line)
    paths = ast.literal_eval(line.split("addons paths:", 1)[1].strip())
    assert ROOT not in paths
    holding = [path for path in paths if os.path.isdir(os.path.join(path, "oletv_integration"))]
    assert holding == [os.path.join(SITE, "odoo", "addons")]
    states = dict(line.split("|") for line in psql(
        "SELECT name, state FROM ir_module_module WHERE name IN "
        "('oletv_integration', 'contract', 'queue_job')").splitlines())
    assert states == {"oletv_integration": "installed", "contract": "installed",
                      "queue_job": "installed"}
    assert psql("SELECT latest_version FROM ir_module_module "
                "WHERE name = 'oletv_integration'") == MANIFEST["version"]


def test_apps_screen_shows_the_readme(odoo_install):
    """Odoo 11 reads the module's description from its README.rst."""
    description = psql("SELECT description FROM ir_module_module "
                       "WHERE name = 'oletv_integration'")
    with open(os.path.join(ROOT, "oletv_integration", "readme", "DESCRIPTION.rst")) as handle:
        first_line = handle.readline().strip()
    assert first_line and first_line in description
