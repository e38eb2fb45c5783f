"""docs/odoo.conf.example, the production configuration a consultant starts
from: every setting says why it is there, Odoo 11 knows every option, and
the job runner gets the channels the addon queues its jobs on
(oletv_integration/core/channels.py)."""
import configparser
import os
import re

import pytest

from pure_addon import load

channels = load("channels")

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLE = os.path.join(REPO_ROOT, "docs", "odoo.conf.example")
ADDON_OPTIONS = {"oletv_rpc_retry"}  # read by the addon (rpc_retry.py)


def parsed():
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(EXAMPLE, encoding="utf-8")
    return parser


def test_every_setting_says_why():
    with open(EXAMPLE, encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    for number, line in enumerate(lines):
        if re.match(r"^[a-z_]+\s*=", line):
            above = lines[number - 1].strip()
            # a comment right above it, or the setting continues a commented group
            assert above.startswith("#") or re.match(r"^[a-z_]+\s*=", above), \
                "line %d (%s) has no reason above it" % (number + 1, line)


def test_prefork_with_the_runner_as_a_server_wide_module():
    options = parsed()["options"]
    assert options.getint("workers") >= 2
    assert options["server_wide_modules"].split(",") == ["base", "web", "queue_job"]
    assert options.getboolean("proxy_mode") is True
    assert options.getboolean("list_db") is False
    # the job runner calls /queue_job/runjob?db=<db_name>: the filter lets it through
    assert re.fullmatch(options["dbfilter"].strip("^$"), options["db_name"])
    assert options.getboolean("oletv_rpc_retry") is True
    for limit in ("limit_time_cpu", "limit_time_real", "limit_memory_soft",
                  "limit_memory_hard"):
        assert options.getint(limit) > 0, limit


def test_the_runner_gets_the_addons_channels():
    queue_job = parsed()["queue_job"]
    assert queue_job["channels"] == channels.server_channels(8)
    assert channels.NOTICE_JOB_CHANNEL in queue_job["channels"]
    assert channels.SYNC_CHANNEL in queue_job["channels"]
    assert queue_job["port"] == parsed()["options"]["http_port"]


def test_odoo_knows_every_option():
    odoo_config = pytest.importorskip("odoo.tools.config").config  # not on the 3.12 stage
    unknown = set(parsed()["options"]) - set(odoo_config.options) - ADDON_OPTIONS
    assert not unknown, sorted(unknown)
