"""The job runner's configuration written by scripts/odoo_conf.sh carries
exactly the queue_job channels of oletv_integration/core/channels.py, the
ones the models queue their jobs on (through sync_plan)."""
import ast
import configparser
import os
import subprocess

import pytest

from pure_addon import load

channels = load("channels")
sync_plan = load("sync_plan")

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ODOO_CONF_SH = os.path.join(REPO_ROOT, "scripts", "odoo_conf.sh")


def _written_channels(tmp_path, **variables):
    """The `[queue_job] channels` of the configuration odoo_conf.sh writes
    (into tmp_path), with these environment variables."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("OLETV_JOB_CHANNELS", "OLETV_SYNC_SLOTS")}
    env.update(variables)
    env["OLETV_ODOO_CONF"] = str(tmp_path / "odoo.conf")
    subprocess.run(["bash", ODOO_CONF_SH], env=env, check=True, timeout=60)
    conf = configparser.ConfigParser(interpolation=None)
    conf.read(env["OLETV_ODOO_CONF"])
    return conf.get("queue_job", "channels")


def _capacities(option):
    return dict((name, int(capacity)) for name, capacity in
                (channel.split(":") for channel in option.split(",")))


def test_module_imports_nothing():
    """The scripts load it by its path, alone: no import, relative or not."""
    with open(channels.__file__, encoding="utf-8") as source:
        tree = ast.parse(source.read())
    assert not [node for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))]


def test_the_channels_are_named_once():
    assert channels.JOB_CHANNEL == "root.oletv"
    assert channels.SYNC_CHANNEL == "root.oletv.sync"
    assert not [name for name in dir(sync_plan) if name.endswith("_CHANNEL")]
    # both below the addon's parent channel (the runner's limits of root.oletv hold them)
    for channel in (channels.SYNC_CHANNEL, channels.NOTICE_JOB_CHANNEL):
        assert channel.startswith(channels.JOB_CHANNEL + ".")


def test_server_channels():
    assert channels.server_channels() == "root:5,root.oletv.sync:4,root.oletv.notices:1"
    assert channels.server_channels(10) == "root:11,root.oletv.sync:10,root.oletv.notices:1"
    assert channels.server_channels(0) == "root:2,root.oletv.sync:1,root.oletv.notices:1"


def test_one_layout_whatever_the_integrations(tmp_path):
    """No database is read: a new integration needs no configuration edit."""
    written = _written_channels(tmp_path)
    assert written == channels.server_channels()
    assert _capacities(written) == {
        "root": channels.DEFAULT_SYNC_SLOTS + channels.NOTICE_CAPACITY,
        channels.SYNC_CHANNEL: channels.DEFAULT_SYNC_SLOTS,
        channels.NOTICE_JOB_CHANNEL: channels.NOTICE_CAPACITY}
    with open(ODOO_CONF_SH, encoding="utf-8") as script:
        assert "psql" not in script.read()


def test_sync_slots_variable(tmp_path):
    assert _written_channels(tmp_path, OLETV_SYNC_SLOTS="12") == channels.server_channels(12)


def test_job_channels_variable_wins(tmp_path):
    assert _written_channels(tmp_path, OLETV_JOB_CHANNELS="root:2",
                             OLETV_SYNC_SLOTS="12") == "root:2"


READERS_DOCS = ["README.md", "docs/configure.md", "docs/integrate.md", "docs/develop.md",
                "docs/operate.md", "docs/pt_BR/operar.md", "docs/odoo.conf.example",
                "oletv_integration/readme/INSTALL.rst", "oletv_integration/readme/CONFIGURE.rst",
                "oletv_integration/readme/ROADMAP.rst"]


@pytest.mark.parametrize("path", READERS_DOCS)
def test_the_docs_configure_the_one_layout(path):
    """No guide tells an installer to add a channel per integration any
    more (the upgrade notes say what replaces it)."""
    with open(os.path.join(REPO_ROOT, path), encoding="utf-8") as doc:
        lines = [line for line in doc if "root.oletv.integration_" in line
                 and "replace" not in line.lower() and "upgrad" not in line.lower()]
    assert not lines


def test_extra_addons_come_after_the_repository(tmp_path):
    """The crowded stage's neighbours (OLETV_EXTRA_ADDONS) are on its
    configuration's addons_path only."""
    conf_path = tmp_path / "odoo.conf"
    for extra, expected in (("", REPO_ROOT), ("/a,/b", REPO_ROOT + ",/a,/b")):
        env = dict(os.environ, OLETV_ODOO_CONF=str(conf_path), OLETV_EXTRA_ADDONS=extra)
        subprocess.run(["bash", ODOO_CONF_SH], env=env, check=True, timeout=60)
        conf = configparser.ConfigParser(interpolation=None)
        conf.read(str(conf_path))
        assert conf.get("options", "addons_path") == expected
