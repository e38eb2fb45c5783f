# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The move of a package the platform retires to its successor, for every
customer that has it (tv.package.move; the TV manager's wizard previews it,
tv.integration.action_tv_move_package starts it).

TV products are locked once saved (product_template.py): the move is the
one checked way to change them. It edits the catalogue, at once and in the
manager's transaction: every TV product of the integration (plans and
add-ons) that gives the retired package gives its successor instead (a
product giving both keeps the successor once). The TV users then follow in
the background: the TV users of those plans, and those with one of those
add-ons, are asked to sync, in chunks of CHUNK_PARAM TV users (a queue_job
job each, ordered by id: the move keeps the last one done, so a chunk run
twice, or Resume after a crash, asks nothing twice that matters: a sync
request is idempotent); each sync sends the new packages through the normal
path (sync_batch.py). The move's progress is its count of TV users done.

`env` is the system's; the callers checked the rights (TV managers)."""
from odoo import _, fields
from odoo.exceptions import UserError

from .wake_ups import quiet_jobs

CHUNK_PARAM = "oletv_integration.package_move_chunk_size"
DEFAULT_CHUNK = 500


class PackageMoves:
    """Moves of retired packages, as the system."""

    def __init__(self, env):
        self.env = env

    # -- what a move changes --------------------------------------------------------

    def check(self, integration, old, new):
        """Refuse (UserError, nothing written) a move that would break the
        products: two packages of the integration, of the same kind."""
        if not old or not new or old == new:
            raise UserError(_("Choose the retired package and another package, its "
                              "successor."))
        if old.integration_id != integration or new.integration_id != integration:
            raise UserError(_("Both packages must come from the TV integration %s.")
                            % integration.name)
        if (old.kind, old.extra_point) != (new.kind, new.extra_point):
            raise UserError(_('"%(new)s" cannot replace "%(old)s": a main package is '
                              'replaced by a main package, an additional one by an additional '
                              'one ("Ponto adicional" by "Ponto adicional").')
                            % {"old": old.name, "new": new.name})
        if not new.active:
            raise UserError(_('The successor "%s" is archived: choose a package the platform '
                              'still sells.') % new.name)
        running = self.env["tv.package.move"].search(
            [("integration_id", "=", integration.id), ("state", "=", "running")], limit=1)
        if running:
            raise UserError(_("Another move of %s is running: wait for its end.")
                            % integration.name)

    def products(self, integration, old):
        """The TV products (templates) of the integration giving `old`."""
        templates = self.env["product.template"].with_context(active_test=False)
        return templates.search([
            ("is_tv_product", "=", True), ("tv_integration_id", "=", integration.id),
            "|", ("tv_main_package_id", "=", old.id),
            ("tv_additional_line_ids.package_id", "=", old.id)])

    def users_domain(self, templates):
        """The TV users of those plans, and those with one of those add-ons."""
        plans = templates.filtered(lambda template: not template._tv_is_addon())
        addon_lines = self.env["account.analytic.invoice.line"].search([
            ("product_id.product_tmpl_id", "in", (templates - plans).ids),
            ("tv_user_id", "!=", False), ("tv_addon_to", "=", False)])
        return [("to_delete", "=", False), "|",
                ("product_id.product_tmpl_id", "in", plans.ids),
                ("id", "in", addon_lines.mapped("tv_user_id").ids)]

    def preview(self, integration, old, new):
        """What the move changes: {"plans", "addons" (product names),
        "tv_users" (how many)}. Refused like the move itself."""
        self.check(integration, old, new)
        templates = self.products(integration, old)
        users = self.env["tv.user"].search_count(self.users_domain(templates))
        return {"plans": templates.filtered(lambda t: not t._tv_is_addon()).mapped("name"),
                "addons": templates.filtered(lambda t: t._tv_is_addon()).mapped("name"),
                "tv_users": users}

    # -- the move ---------------------------------------------------------------------

    def start(self, integration, old, new, requester):
        """Edit the catalogue, record the move and queue its first chunk."""
        self.check(integration, old, new)
        templates = self.products(integration, old)
        self.edit_catalogue(templates, old, new)
        move = self.env["tv.package.move"].create({
            "integration_id": integration.id, "old_package_id": old.id,
            "new_package_id": new.id, "user_id": requester.id, "state": "running",
            "product_tmpl_ids": [(6, 0, templates.ids)],
            "total_count": self.env["tv.user"].search_count(self.users_domain(templates)),
            "date_start": fields.Datetime.now()})
        self.queue(move)
        return move

    def edit_catalogue(self, templates, old, new):
        """Each product gives `new` where it gave `old` (tv_unlock: the
        system's own change of a locked product)."""
        unlocked = templates.with_context(tv_unlock=True)
        for template in unlocked:
            if template.tv_main_package_id == old:
                template.write({"tv_main_package_id": new.id})
            lines = template.tv_additional_line_ids
            stale = lines.filtered(lambda line: line.package_id == old)
            if lines.filtered(lambda line: line.package_id == new):
                template.write({"tv_additional_line_ids": [(2, line.id) for line in stale]})
            else:
                template.write({"tv_additional_line_ids": [
                    (1, line.id, {"package_id": new.id}) for line in stale]})
            template.message_post(body=_("Olé TV retired %(old)s: this product gives %(new)s "
                                         "instead.") % {"old": old.name, "new": new.name})

    def chunk_size(self):
        return max(1, int(self.env["ir.config_parameter"].sudo().get_param(
            CHUNK_PARAM, DEFAULT_CHUNK)))

    def queue(self, move):
        return quiet_jobs(move).with_delay(
            max_retries=0, identity_key="tv_package_move:%d:%d" % (move.id, move.last_user_id),
            description=_("Olé TV: %(name)s, TV users after %(after)d") % {
                "name": move.display_name, "after": move.last_user_id},
        )._tv_move_chunk_job()

    def chunk(self, move):
        """Ask the next chunk of TV users to sync; queue the next chunk, or
        end the move."""
        if move.state != "running":
            return _("The move is not running: nothing to do.")
        users = self.env["tv.user"].search(
            self.users_domain(move.product_tmpl_ids) + [("id", ">", move.last_user_id)],
            order="id", limit=self.chunk_size())
        users.filtered(lambda user: not user._tv_is_proposal())._tv_request_sync()
        if users:
            move.write({"last_user_id": users[-1].id, "done_count": move.done_count + len(users)})
            self.queue(move)
            return _("%d TV users asked to sync.") % len(users)
        move.write({"state": "done", "date_done": fields.Datetime.now()})
        return _("Move done.")
