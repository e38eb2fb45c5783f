# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The queue_job channels of the addon's jobs, in one place.

The models queue on them (through sync_plan, which re-exports them); the
job runner's configuration (`[queue_job] channels`) that scripts/odoo_conf.sh
writes, the bench and the system tests take theirs from `server_channels`.
Plain Python with no import at all: the scripts load this file by its path,
without the addon's package (whose __init__ loads Odoo).
"""

# The TV users' sync jobs run on this channel, one sub-channel per
# integration (`channel_of`); its capacity is the integration's Concurrent
# platform calls.
JOB_CHANNEL = "root.oletv"
# The customer notices of a status change are rendered and queued by a job on
# a channel of their own, so they never take a platform call's slot.
NOTICE_JOB_CHANNEL = "root.oletv.notices"
# Slots of the notices' channel; they come on top of the sync slots on root.
NOTICE_CAPACITY = 1
# Sync slots on root when the integrations' capacities add up to fewer (or
# there is no integration yet).
MIN_SYNC_SLOTS = 4


def channel_of(integration_id):
    """The queue_job channel of an integration's platform calls."""
    return "%s.integration_%d" % (JOB_CHANNEL, integration_id)


def server_channels(capacities=None, min_sync_slots=MIN_SYNC_SLOTS):
    """The job runner's `channels` option: root (every sync slot plus the
    notices' slot), the notices' channel, then one channel per integration.
    `capacities`: {integration id: its Concurrent platform calls}, e.g.
    {3: 4} -> "root:5,root.oletv.notices:1,root.oletv.integration_3:4"."""
    capacities = capacities or {}
    sync_slots = max(min_sync_slots, sum(capacities.values()))
    channels = ["root:%d" % (sync_slots + NOTICE_CAPACITY),
                "%s:%d" % (NOTICE_JOB_CHANNEL, NOTICE_CAPACITY)]
    channels.extend("%s:%d" % (channel_of(integration_id), capacities[integration_id])
                    for integration_id in sorted(capacities))
    return ",".join(channels)
