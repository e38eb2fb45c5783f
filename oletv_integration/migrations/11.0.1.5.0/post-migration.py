# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""11.0.1.5.0: the notices of a status change are rendered many at a time
(a queue job renders them in one call of the template), so the contract
notices read each record's figures from ctx['tv_notices'][object.id]
instead of ctx['tv_notice']. The templates are noupdate (an ISP's edits
survive updates): this rewrites that one line of the addon's templates and
of their translations, leaving the rest of an edited template alone (it
does nothing where the line is gone)."""
OLD = "ctx.get('tv_notice') or {}"
NEW = "(ctx.get('tv_notices') or {}).get(object.id) or {}"
TEMPLATES = ("mail_template_tv_late_notice", "mail_template_tv_reduced",
             "mail_template_tv_suspended")


def migrate(cr, version):
    if not version:
        return
    cr.execute("SELECT res_id FROM ir_model_data WHERE module = 'oletv_integration' "
               "AND model = 'mail.template' AND name IN %s", (TEMPLATES,))
    template_ids = tuple(row[0] for row in cr.fetchall())
    if not template_ids:
        return
    cr.execute("UPDATE mail_template SET body_html = replace(body_html, %s, %s) "
               "WHERE id IN %s AND strpos(body_html, %s) > 0",
               (OLD, NEW, template_ids, OLD))
    cr.execute("UPDATE ir_translation SET src = replace(src, %s, %s), "
               "value = replace(value, %s, %s) "
               "WHERE name = 'mail.template,body_html' AND res_id IN %s "
               "AND (strpos(src, %s) > 0 OR strpos(value, %s) > 0)",
               (OLD, NEW, OLD, NEW, template_ids, OLD, OLD))
