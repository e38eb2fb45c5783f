# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import test_auditlog_bulk_block
from . import test_mass_editing_contracts
from . import test_mail_tracking_notices
from . import test_mail_activity_done
