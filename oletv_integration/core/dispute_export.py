# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The dispute export (no Odoo import): the CSV a controller sends to Olé
TV when disputing its monthly bill, from a computed month's revenue
assurance (services/dispute_export.py reads it as the requesting user).

The file has three blocks separated by an empty line: the month (the
integration, the month, the billing rule), one row per package (the bill's
quantity and amount, what the platform counted under the rule, the
differences), then the subscribers behind each package's count (account,
login, billable days), which the platform can check against its own
records.

Every text cell is written so that a spreadsheet does not run it as a
formula (login_rules.spreadsheet_text): the package names and the bill's
lines are typed by employees, the logins and account numbers come from
the platform's subscribers, the column titles from translations that any
employee may edit, and the file is opened by the controller and by Olé TV.
Numbers are written as numbers (a negative difference keeps its sign).

The dialect follows the requesting user's language, because the file is
opened in a spreadsheet: Brazilian Excel expects ';' between fields and a
decimal comma, so a Portuguese user gets those; any other language ','
and a decimal point. Numbers never carry a thousands separator (a
spreadsheet would read 1.234 as one point something). The file is UTF-8
with a BOM, which Excel needs to read accents right."""
import csv
import io

from .login_rules import spreadsheet_text

BOM = "\ufeff"
# (field separator, decimal separator)
PT_DIALECT = (";", ",")
DEFAULT_DIALECT = (",", ".")


def dialect(lang):
    """(field separator, decimal separator) for the user's language code."""
    return PT_DIALECT if (lang or "").lower().startswith("pt") else DEFAULT_DIALECT


def number(value, decimal, digits=2):
    """`value` with `digits` decimals and the decimal separator; empty for None."""
    if value is None or value is False:
        return ""
    text = "%.*f" % (digits, value)
    if text.startswith("-") and float(text) == 0:
        text = text[1:]  # no "-0.00"
    return text.replace(".", decimal)


def month_label(first_day, lang):
    """The month as its users write it: 10/2026 in Portuguese, 2026-10 otherwise."""
    if dialect(lang) == PT_DIALECT:
        return "%02d/%04d" % (first_day.month, first_day.year)
    return "%04d-%02d" % (first_day.year, first_day.month)


# a package row's keys, in the file's column order, with their decimals
# (None: text)
PACKAGE_COLUMNS = (
    ("package_code", None), ("package", None), ("bill_quantity", 2), ("bill_amount", 2),
    ("counted_quantity", 2), ("subscribers", 0), ("subscriber_days", 0),
    ("platform_price", 2), ("expected_amount", 2), ("quantity_diff", 2),
    ("amount_diff", 2), ("status", None))
SUBSCRIBER_COLUMNS = (("package_code", None), ("account_number", None), ("login", None),
                      ("billable_days", 0))


def _cells(row, columns, decimal):
    return [_text(row.get(key)) if digits is None else number(row.get(key) or 0.0, decimal,
                                                              digits)
            for key, digits in columns]


def _text(value):
    """A text cell: never read as a formula by the spreadsheet."""
    return spreadsheet_text("%s" % value if value else "")


def dispute_csv(month, packages, subscribers, labels, lang):
    """The file's bytes (UTF-8 with a BOM).

    `month`: a list of (label, value) pairs (the integration, the month,
    the rule...); `packages`: dicts with PACKAGE_COLUMNS' keys;
    `subscribers`: dicts with SUBSCRIBER_COLUMNS' keys, already in the
    order wanted; `labels`: {key: translated column title} for both
    tables' keys."""
    separator, decimal = dialect(lang)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator, lineterminator="\r\n")
    for label, value in month:
        writer.writerow([_text(label), _text(value)])
    writer.writerow([])
    writer.writerow([_text(labels[key]) for key, _digits in PACKAGE_COLUMNS])
    for row in packages:
        writer.writerow(_cells(row, PACKAGE_COLUMNS, decimal))
    writer.writerow([])
    writer.writerow([_text(labels[key]) for key, _digits in SUBSCRIBER_COLUMNS])
    for row in subscribers:
        writer.writerow(_cells(row, SUBSCRIBER_COLUMNS, decimal))
    return (BOM + out.getvalue()).encode("utf-8")


def file_name(prefix, integration_name, first_day):
    """`prefix`-integration-YYYY-MM.csv, safe on every system: letters,
    digits and dashes only."""
    safe = "".join(char if char.isalnum() else "-" for char in
                   "%s-%s" % (prefix, integration_name or "tv"))
    return "%s-%04d-%02d.csv" % ("-".join(filter(None, safe.split("-"))), first_day.year,
                                 first_day.month)
