"""The job runner's configuration written by scripts/odoo_conf.sh carries
exactly the queue_job channels of oletv_integration/core/channels.py, the
ones the models queue their jobs on (through sync_plan)."""
import ast
import configparser
import os
import stat
import subprocess

import pytest

from pure_addon import load

channels = load("channels")
sync_plan = load("sync_plan")

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ODOO_CONF_SH = os.path.join(REPO_ROOT, "scripts", "odoo_conf.sh")


def _written_channels(tmp_path, *args, integrations=None):
    """The `[queue_job] channels` of the configuration odoo_conf.sh writes
    (into tmp_path); `integrations`: what a stand-in psql answers for the
    database's active integrations ("ID:CAPACITY" lines)."""
    env = {key: value for key, value in os.environ.items() if key != "OLETV_JOB_CHANNELS"}
    env["OLETV_ODOO_CONF"] = str(tmp_path / "odoo.conf")
    if integrations is not None:
        bin_dir = tmp_path / "bin"
        bin_dir.mkdir()
        psql = bin_dir / "psql"
        psql.write_text("#!/bin/sh\nprintf '%s'\n" % "".join(line + "\\n" for line in integrations))
        psql.chmod(psql.stat().st_mode | stat.S_IEXEC)
        env["PATH"] = "%s%s%s" % (bin_dir, os.pathsep, env.get("PATH", ""))
    subprocess.run(["bash", ODOO_CONF_SH] + list(args), env=env, check=True, timeout=60)
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


def test_sync_plan_queues_on_the_channels_module():
    assert sync_plan.JOB_CHANNEL == channels.JOB_CHANNEL == "root.oletv"
    assert sync_plan.NOTICE_JOB_CHANNEL == channels.NOTICE_JOB_CHANNEL
    assert sync_plan.channel_of(7) == channels.channel_of(7) == "root.oletv.integration_7"
    assert channels.NOTICE_JOB_CHANNEL.startswith(channels.JOB_CHANNEL + ".")


def test_server_channels():
    assert channels.server_channels() == "root:5,root.oletv.notices:1"
    assert channels.server_channels({7: 2, 3: 4}) == (
        "root:7,root.oletv.notices:1,root.oletv.integration_3:4,root.oletv.integration_7:2")
    # fewer sync slots than the minimum: root keeps the minimum
    assert channels.server_channels({3: 1}) == (
        "root:5,root.oletv.notices:1,root.oletv.integration_3:1")
    assert channels.server_channels({3: 2}, min_sync_slots=0) == (
        "root:3,root.oletv.notices:1,root.oletv.integration_3:2")


def test_configuration_without_database(tmp_path):
    written = _written_channels(tmp_path)
    assert written == channels.server_channels()
    assert _capacities(written) == {
        "root": channels.MIN_SYNC_SLOTS + channels.NOTICE_CAPACITY,
        channels.NOTICE_JOB_CHANNEL: channels.NOTICE_CAPACITY}


@pytest.mark.parametrize("integrations, capacities", [
    (["3:4", "7:2"], {3: 4, 7: 2}),
    ([], {}),
], ids=["two integrations", "none"])
def test_configuration_of_a_database(tmp_path, integrations, capacities):
    written = _written_channels(tmp_path, "some_db", integrations=integrations)
    assert written == channels.server_channels(capacities)
    expected = {channels.channel_of(integration_id): capacity
                for integration_id, capacity in capacities.items()}
    expected[channels.NOTICE_JOB_CHANNEL] = channels.NOTICE_CAPACITY
    expected["root"] = (max(channels.MIN_SYNC_SLOTS, sum(capacities.values()))
                        + channels.NOTICE_CAPACITY)
    assert _capacities(written) == expected


def test_job_channels_variable_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("OLETV_JOB_CHANNELS", "root:2")
    env_conf = tmp_path / "odoo.conf"
    monkeypatch.setenv("OLETV_ODOO_CONF", str(env_conf))
    subprocess.run(["bash", ODOO_CONF_SH], check=True, timeout=60)
    conf = configparser.ConfigParser(interpolation=None)
    conf.read(str(env_conf))
    assert conf.get("queue_job", "channels") == "root:2"
