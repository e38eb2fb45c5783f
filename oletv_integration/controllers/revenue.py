# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The dispute export's download: a computed month's CSV for Olé TV
(services/dispute_export.py builds it as the logged-in user, who must be
allowed to read the month: TV managers, invoicing managers, billing
clerks of the integration's company). The controller only reads its
arguments and answers: a refusal is 403, a month not computed 404."""
from werkzeug.exceptions import Forbidden, NotFound

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import content_disposition, request, route

from ..services.dispute_export import DisputeExport


class TvRevenueController(http.Controller):

    @route(["/oletv/revenue/dispute/<int:integration_id>/<string:month>"], type="http",
           auth="user")
    def tv_dispute_export(self, integration_id, month, **kw):
        try:
            day = fields.Date.from_string(month)
        except ValueError:
            raise NotFound()
        integration = request.env["tv.integration"].browse(integration_id)
        try:
            name, data = DisputeExport(integration, day).content()
        except (AccessError, MissingError) as exc:
            raise Forbidden(exc.name)
        except UserError as exc:
            raise NotFound(exc.name)
        return request.make_response(data, headers=[
            ("Content-Type", "text/csv; charset=utf-8"),
            ("Content-Disposition", content_disposition(name))])
