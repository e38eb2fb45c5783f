# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import tv_operator_dialog
from . import tv_link_subscribers_wizard
from . import tv_link_subscribers_line
from . import tv_request_suspension_wizard
from . import tv_plan_change_wizard
from . import tv_addon_wizard
from . import tv_revenue_leak_link_wizard
from . import tv_package_move_wizard
