"""What a database holds of the addon, read with SQL: its records (every
stored field of its own models, its columns on other models, its settings)
and its schema (columns, constraints, indexes). Two snapshots compare with
==, so a difference names the table, the record and the field."""
import contextlib

import psycopg2

from .release import ADDON

# Bookkeeping that any write changes: not part of a record's meaning.
VOLATILE_COLUMNS = {"write_date", "write_uid"}
# Records of other models that the operator tunes and an upgrade must keep.
SETTINGS = (
    ("ir_config_parameter", "key", "key LIKE 'oletv_integration.%%'", ("key", "value")),
    ("ir_cron", "id", "id IN (SELECT res_id FROM ir_model_data WHERE module = %(module)s "
     "AND model = 'ir.cron')", ("id", "active", "interval_number", "interval_type", "nextcall")),
    ("base_automation", "id", "id IN (SELECT res_id FROM ir_model_data WHERE module = %(module)s "
     "AND model = 'base.automation')", ("id", "active")),
)


@contextlib.contextmanager
def connect(params, db):
    connection = psycopg2.connect(dbname=db, **params)
    try:
        with connection.cursor() as cr:
            yield cr
    finally:
        connection.rollback()
        connection.close()


def owned_tables(cr):
    """Tables of the models the addon defines and of its many2many fields."""
    cr.execute("""
        SELECT replace(m.model, '.', '_') FROM ir_model m
          JOIN ir_model_data d ON d.model = 'ir.model' AND d.res_id = m.id
         WHERE d.module = %(module)s AND NOT EXISTS (
               SELECT 1 FROM ir_model_data other WHERE other.model = 'ir.model'
                  AND other.res_id = m.id AND other.module != %(module)s)
        UNION
        SELECT r.name FROM ir_model_relation r
          JOIN ir_module_module mm ON mm.id = r.module
         WHERE mm.name = %(module)s""", {"module": ADDON})
    names = {row[0] for row in cr.fetchall()}
    cr.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
               "AND table_name IN %s", (tuple(names) or ("",),))
    return sorted(row[0] for row in cr.fetchall())


def added_columns(cr):
    """{table: [column]} the addon adds to other modules' models."""
    cr.execute("""
        SELECT replace(f.model, '.', '_'), f.name FROM ir_model_fields f
          JOIN ir_model_data d ON d.model = 'ir.model.fields' AND d.res_id = f.id
         WHERE d.module = %(module)s""", {"module": ADDON})
    fields = {}
    for table, column in cr.fetchall():
        fields.setdefault(table, set()).add(column)
    owned = set(owned_tables(cr))
    cr.execute("SELECT table_name, column_name FROM information_schema.columns "
               "WHERE table_schema = 'public'")
    columns = {}
    for table, column in cr.fetchall():
        if table not in owned and column in fields.get(table, ()):
            columns.setdefault(table, []).append(column)
    return {table: sorted(names) for table, names in columns.items()}


def table_columns(cr, table):
    cr.execute("SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' "
               "AND table_name = %s ORDER BY column_name", (table,))
    return [row[0] for row in cr.fetchall()]


def rows(cr, table, columns, key="id", where="TRUE"):
    cr.execute('SELECT %s, %s FROM "%s" WHERE %s' % (
        key, ", ".join('"%s"' % column for column in columns), table, where),
        {"module": ADDON})
    return {row[0]: dict(zip(columns, row[1:])) for row in cr.fetchall()}


def records(cr):
    """{table: {id: {column: value}}} of everything the addon stores."""
    data = {}
    for table in owned_tables(cr):
        columns = [c for c in table_columns(cr, table) if c not in VOLATILE_COLUMNS]
        key = "id" if "id" in columns else "(%s)" % ", ".join(columns)
        data[table] = rows(cr, table, columns, key=key)
    for table, columns in added_columns(cr).items():
        data[table + " (addon columns)"] = rows(cr, table, columns)
    for table, key, where, columns in SETTINGS:
        data[table + " (settings)"] = rows(cr, table, list(columns), key=key, where=where)
    data.update(templates(cr))
    return data


def templates(cr):
    """The addon's mail templates by XML id (an ISP edits them: noupdate) and
    their translations by (XML id, field, language)."""
    cr.execute("""
        SELECT d.name, t.id, t.name, t.subject, t.body_html FROM mail_template t
          JOIN ir_model_data d ON d.model = 'mail.template' AND d.res_id = t.id
         WHERE d.module = %s""", (ADDON,))
    found = {row[0]: dict(zip(("id", "name", "subject", "body_html"), row[1:]))
             for row in cr.fetchall()}
    cr.execute("""
        SELECT d.name, split_part(tr.name, ',', 2), tr.lang, tr.src, tr.value
          FROM ir_translation tr
          JOIN ir_model_data d ON d.model = 'mail.template' AND d.res_id = tr.res_id
         WHERE d.module = %s AND tr.type = 'model' AND tr.name LIKE 'mail.template,%%'""",
               (ADDON,))
    translations = {(xmlid, field, lang): {"lang": lang, "src": src, "value": value}
                    for xmlid, field, lang, src, value in cr.fetchall()}
    return {"mail_template (addon templates)": found,
            "ir_translation (addon templates)": translations}


def schema(cr):
    """Columns, constraints and indexes of the addon's tables and columns."""
    described = {}
    tables = owned_tables(cr)
    added = added_columns(cr)
    cr.execute("""
        SELECT table_name, column_name, data_type, character_maximum_length, is_nullable
          FROM information_schema.columns WHERE table_schema = 'public'""")
    for table, column, *definition in cr.fetchall():
        if table in tables or column in added.get(table, ()):
            described["column %s.%s" % (table, column)] = tuple(definition)
    cr.execute("""
        SELECT t.relname, c.conname, pg_get_constraintdef(c.oid), array(
                 SELECT attname FROM pg_attribute WHERE attrelid = t.oid AND attnum = ANY(c.conkey))
          FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
         WHERE t.relnamespace = 'public'::regnamespace""")
    for table, name, definition, columns in cr.fetchall():
        if table in tables or set(columns) & set(added.get(table, ())):
            described["constraint %s.%s" % (table, name)] = definition
    cr.execute("SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'")
    for table, name, definition in cr.fetchall():
        mentions_added = any('(%s' % column in definition or ' %s' % column in definition
                             for column in added.get(table, ()))
        if table in tables or mentions_added:
            described["index %s.%s" % (table, name)] = definition
    cr.execute("""
        SELECT c.name, c.type, c.definition FROM ir_model_constraint c
          JOIN ir_module_module m ON m.id = c.module WHERE m.name = %s""", (ADDON,))
    for name, kind, definition in cr.fetchall():
        described["ir_model_constraint %s" % name] = (kind, definition)
    return described


def differences(expected, actual):
    """Readable differences between two dicts (of dicts), at most 40."""
    found = []

    def walk(path, left, right):
        if isinstance(left, dict) and isinstance(right, dict):
            for key in sorted(set(left) | set(right), key=repr):
                if key not in right:
                    found.append("%s[%r]: missing (was %r)" % (path, key, left[key]))
                elif key not in left:
                    found.append("%s[%r]: new (%r)" % (path, key, right[key]))
                else:
                    walk("%s[%r]" % (path, key), left[key], right[key])
        elif left != right:
            found.append("%s: %r -> %r" % (path, left, right))
    walk("", expected, actual)
    return found[:40]
