# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""An equipment model of the platform's catalog (tv_catalog_mixin.py)."""
from odoo import models


class TvEquipmentModel(models.Model):
    _name = "tv.equipment.model"
    _inherit = ["tv.catalog.mixin"]
    _description = "TV Equipment Model"
