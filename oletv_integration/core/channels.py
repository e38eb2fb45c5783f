# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The queue_job channels of the addon's jobs, in one place.

One layout, fixed at install, whatever the number of integrations: every
job that calls a platform runs on SYNC_CHANNEL, the customer notices' jobs
on NOTICE_JOB_CHANNEL. Each integration's own limit (its *Concurrent
platform calls*) is the addon's to enforce (services/platform_slots.py),
not the runner's: a new integration needs no configuration edit and no
restart. They are the job functions' own channels (`@job(default_channel=)`
in the models); the job runner's configuration (`[queue_job] channels`)
that scripts/odoo_conf.sh writes, docs/odoo.conf.example, the bench and the
system tests take theirs from `server_channels`. Plain Python with no
import at all: the scripts load this file by its path, without the addon's
package (whose __init__ loads Odoo).
"""

# The parent of the addon's channels.
JOB_CHANNEL = "root.oletv"
# Every job that calls a platform (syncs, reconciliation reads) of every
# integration. Its capacity is the server's: at least the sum of the
# integrations' Concurrent platform calls, or they share it.
SYNC_CHANNEL = "root.oletv.sync"
# The customer notices of a status change are rendered and queued by a job on
# a channel of their own, so they never take a platform call's slot.
NOTICE_JOB_CHANNEL = "root.oletv.notices"
# Slots of the notices' channel; they come on top of the sync slots on root.
NOTICE_CAPACITY = 1
# The sync channel's capacity when none is given: one integration at the
# default Concurrent platform calls.
DEFAULT_SYNC_SLOTS = 4


def server_channels(sync_slots=DEFAULT_SYNC_SLOTS):
    """The job runner's `channels` option: root (every sync slot plus the
    notices' slot), the sync channel, the notices' channel, e.g.
    8 -> "root:9,root.oletv.sync:8,root.oletv.notices:1"."""
    sync_slots = max(1, int(sync_slots))
    return ",".join(["root:%d" % (sync_slots + NOTICE_CAPACITY),
                     "%s:%d" % (SYNC_CHANNEL, sync_slots),
                     "%s:%d" % (NOTICE_JOB_CHANNEL, NOTICE_CAPACITY)])
