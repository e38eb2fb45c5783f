# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import tv_link_subscribers_wizard
from . import tv_link_subscribers_line
