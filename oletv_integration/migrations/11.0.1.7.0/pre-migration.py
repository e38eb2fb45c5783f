# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""11.0.1.7.0: the customer notice of a contract becoming *Blocked* was
called *suspended*, which read like the suspension on the customer's
request (another status). It is now *blocked* everywhere (post-migration.py
recodes what is stored in its name). Before the module's data and fields
are loaded, the same records get their new names, so nothing is created
twice and nothing the ISP set is lost:

- the policy's switch `notify_suspended` becomes `notify_blocked`: its
  column (with every policy's value), its ir.model.fields record (whatever
  refers to it keeps doing so) and that record's XML id. The translations
  of its former label ("Suspended") are dropped: the new label's come with
  the module's translations. The policy's views (the addon's, reloaded
  next, and any an ISP added) name it by its new name: the views are
  checked against the fields as they load;
- the mail template `mail_template_tv_suspended` becomes
  `mail_template_tv_blocked`: only its XML id is renamed, the record stays
  (noupdate: the ISP's edits of its body, subject and translations stay);
- the translations of the notice kind's former label in mail.mail's
  selection are dropped (the new label's come with the module).

The contract form's TV tab moved into a view of its own
(`contract_form_tv_records`, for the roles that may read it): the addon's
three views that add tabs after it are dropped here and created again by
the module's data, inheriting from the new view (updated in place, Odoo
would check each against a parent that no longer holds the tab). A view an
ISP made inheriting from one of them is kept, deactivated and attached to
the contract form's TV view (the log names it): point it at the new view
and activate it again."""
import logging

_logger = logging.getLogger(__name__)
MODULE = "oletv_integration"
POLICY_MODEL, POLICY_TABLE = "tv.delinquency.policy", "tv_delinquency_policy"
OLD_FIELD, NEW_FIELD = "notify_suspended", "notify_blocked"
OLD_LABEL = "Suspended"
TAB_VIEWS = ("contract_form_delinquency", "contract_form_request_suspension",
             "contract_form_plan_change")
RENAMED_XMLIDS = (
    ("ir.model.fields", "field_tv_delinquency_policy_" + OLD_FIELD,
     "field_tv_delinquency_policy_" + NEW_FIELD),
    ("mail.template", "mail_template_tv_suspended", "mail_template_tv_blocked"),
)


def migrate(cr, version):
    if not version:
        return
    drop_tab_views(cr)
    rename_column(cr)
    cr.execute("""UPDATE ir_model_fields SET name = %s
                  WHERE model = %s AND name = %s AND NOT EXISTS (
                      SELECT 1 FROM ir_model_fields WHERE model = %s AND name = %s)
                  RETURNING id""", (NEW_FIELD, POLICY_MODEL, OLD_FIELD, POLICY_MODEL, NEW_FIELD))
    field_ids = tuple(row[0] for row in cr.fetchall())
    if field_ids:
        cr.execute("""DELETE FROM ir_translation
                      WHERE type = 'model' AND name = 'ir.model.fields,field_description'
                        AND res_id IN %s AND src = %s""", (field_ids, OLD_LABEL))
    cr.execute("""UPDATE ir_ui_view SET arch_db = replace(arch_db, %s, %s)
                  WHERE model = %s AND strpos(arch_db, %s) > 0""",
               ('"%s"' % OLD_FIELD, '"%s"' % NEW_FIELD, POLICY_MODEL, '"%s"' % OLD_FIELD))
    for model, old, new in RENAMED_XMLIDS:
        cr.execute("""UPDATE ir_model_data SET name = %s
                      WHERE module = %s AND model = %s AND name = %s AND NOT EXISTS (
                          SELECT 1 FROM ir_model_data WHERE module = %s AND name = %s)""",
                   (new, MODULE, model, old, MODULE, new))
    cr.execute("""DELETE FROM ir_translation
                  WHERE type = 'selection' AND name = 'mail.mail,tv_notice' AND src = %s""",
               (OLD_LABEL,))


def drop_tab_views(cr):
    cr.execute("""DELETE FROM ir_model_data WHERE module = %s AND model = 'ir.ui.view'
                  AND name IN %s RETURNING res_id""", (MODULE, TAB_VIEWS))
    view_ids = tuple(row[0] for row in cr.fetchall())
    if not view_ids:
        return
    cr.execute("""UPDATE ir_ui_view SET active = false, inherit_id = (
                      SELECT res_id FROM ir_model_data
                      WHERE module = %s AND name = 'contract_form_tv')
                  WHERE inherit_id IN %s RETURNING id, name""", (MODULE, view_ids))
    for view_id, name in cr.fetchall():
        _logger.warning("View %s (%s) inherited from a contract tab view the upgrade "
                        "replaces: deactivated, point it at the new view and activate it "
                        "again.", view_id, name)
    cr.execute("DELETE FROM ir_ui_view WHERE id IN %s", (view_ids,))


def rename_column(cr):
    """Absent before 11.0.1.4.0 (its pre-ladder.py, run just before this
    one on such an upgrade, creates it)."""
    cr.execute("""SELECT column_name FROM information_schema.columns
                  WHERE table_name = %s AND column_name IN %s""",
               (POLICY_TABLE, (OLD_FIELD, NEW_FIELD)))
    present = {row[0] for row in cr.fetchall()}
    if OLD_FIELD in present and NEW_FIELD not in present:
        cr.execute('ALTER TABLE %s RENAME COLUMN %s TO %s' % (POLICY_TABLE, OLD_FIELD, NEW_FIELD))
