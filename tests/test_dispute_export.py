"""oletv_integration/core/dispute_export.py (no Odoo import): the dispute
CSV's blocks, its dialect per language (';' and a decimal comma for
Portuguese, what Brazilian Excel reads), UTF-8 with a BOM."""
import csv
import io
from datetime import date

from pure_addon import load

de = load("dispute_export")

LABELS = {key: key.upper() for key, _digits in de.PACKAGE_COLUMNS + de.SUBSCRIBER_COLUMNS}
MONTH = [("Integração", "Olé TV"), ("Mês", "10/2026")]
PACKAGES = [{"package_code": "BASIC", "package": "Básico", "bill_quantity": 5.0,
             "bill_amount": 100.0, "counted_quantity": 2.0, "subscribers": 2,
             "subscriber_days": 62, "platform_price": 20.0, "expected_amount": 40.0,
             "quantity_diff": 3.0, "amount_diff": 60.0, "status": "Difere"},
            {"package_code": "HBO", "package": "HBO", "bill_quantity": 2.0,
             "bill_amount": 20.0, "counted_quantity": 1.2903, "subscribers": 2,
             "subscriber_days": 40, "platform_price": 10.0, "expected_amount": 12.9,
             "quantity_diff": 0.7097, "amount_diff": 7.1, "status": "Difere"}]
SUBSCRIBERS = [{"package_code": "BASIC", "account_number": "A-1", "login": "ana",
                "billable_days": 31},
               {"package_code": "BASIC", "account_number": "A-2", "login": "joão",
                "billable_days": 31}]


def rows(data, separator):
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=separator))


def test_portuguese_gets_semicolons_and_a_decimal_comma():
    found = rows(de.dispute_csv(MONTH, PACKAGES, SUBSCRIBERS, LABELS, "pt_BR"), ";")
    assert found[0] == ["Integração", "Olé TV"]
    assert found[2] == []
    assert found[3][:4] == ["PACKAGE_CODE", "PACKAGE", "BILL_QUANTITY", "BILL_AMOUNT"]
    assert found[4] == ["BASIC", "Básico", "5,00", "100,00", "2,00", "2", "62", "20,00",
                        "40,00", "3,00", "60,00", "Difere"]
    assert found[5][4] == "1,29" and found[5][9] == "0,71"
    assert found[6] == []
    assert found[7] == ["PACKAGE_CODE", "ACCOUNT_NUMBER", "LOGIN", "BILLABLE_DAYS"]
    assert found[9] == ["BASIC", "A-2", "joão", "31"]


def test_other_languages_get_commas_and_a_decimal_point():
    found = rows(de.dispute_csv(MONTH, PACKAGES, SUBSCRIBERS, LABELS, "en_US"), ",")
    assert found[4][2:5] == ["5.00", "100.00", "2.00"]
    assert de.dialect(None) == (",", ".")
    assert de.dialect("pt_PT") == (";", ",")


def test_numbers_have_no_thousands_separator_nor_a_negative_zero():
    assert de.number(1234567.891, ",") == "1234567,89"
    assert de.number(-0.001, ".") == "0.00"
    assert de.number(-12.5, ",") == "-12,50"
    assert de.number(None, ",") == ""


def test_month_label_and_file_name():
    assert de.month_label(date(2026, 10, 1), "pt_BR") == "10/2026"
    assert de.month_label(date(2026, 10, 1), "en_US") == "2026-10"
    assert de.file_name("disputa", "Olé TV / Curitiba", date(2026, 10, 1)) == \
        "disputa-Olé-TV-Curitiba-2026-10.csv"


def test_no_text_cell_is_read_as_a_formula():
    """Package names and bill lines are typed by employees, logins and
    accounts come from the platform's subscribers, titles from translations
    any employee edits: none reaches the spreadsheet as a formula; numbers
    keep their sign."""
    hostile = ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1",
               "\r=1"]
    month = [("Integração", hostile[0]), (hostile[1], "10/2026")]
    packages = [dict(PACKAGES[0], package_code=code, package=code, status=code,
                     amount_diff=-60.0) for code in hostile]
    subscribers = [dict(SUBSCRIBERS[0], package_code=code, account_number=code, login=code)
                   for code in hostile]
    labels = dict(LABELS, package="=cmd|' /C calc'!A0", login="@login")
    found = rows(de.dispute_csv(month, packages, subscribers, labels, "pt_BR"), ";")
    header = 4 + len(hostile) + 1  # the subscribers' titles
    assert found[header][0] == "PACKAGE_CODE"
    text_cells = [found[0][1], found[1][0], found[3][1], found[header][2]]
    for row in found[4:4 + len(hostile)]:
        text_cells += [row[0], row[1], row[11]]
    for row in found[-len(hostile):]:
        text_cells += row[:3]
    for cell in text_cells:
        assert cell.startswith("'"), cell
    assert found[4][10] == "-60,00", "a number keeps its sign"
    assert found[0] == ["Integração", "'" + hostile[0]]
