"""The "link existing subscribers" CSV reader (oletv_integration/
link_csv.py, no Odoo import)."""
import os

import pytest

from pure_addon import ADDON, load

link_csv = load("link_csv")
login_rules = load("login_rules")
ADDON_SERVICES = os.path.join(ADDON, "services")


def test_portuguese_headers_semicolons_bom_and_line_numbers():
    data = ("\ufeffContrato;CPF/CNPJ;E-mail;Número conta;Produto\n"
            "CT-1;123.456.789-09;Ana@Example.com;OLE-000001;TVB\n"
            "\n"
            "CT-2;;bob@example.com;;\n").encode("utf-8")
    rows = link_csv.parse(data)
    assert [row.row for row in rows] == [2, 4]
    assert (rows[0].contract, rows[0].vat, rows[0].login, rows[0].account, rows[0].product) == (
        "CT-1", "123.456.789-09", "ana@example.com", "OLE-000001", "TVB")
    assert rows[1].error is None


def test_windows_1252_and_quoted_commas():
    rows = link_csv.parse('contrato,usuário\n"Contrato, São Paulo",a@example.com\n'
                          .encode("cp1252"))
    assert (rows[0].contract, rows[0].login) == ("Contrato, São Paulo", "a@example.com")


def test_tabs():
    rows = link_csv.parse("vat\ttv_login\n111\tb@example.com\n")
    assert (rows[0].vat, rows[0].login) == ("111", "b@example.com")


def test_row_errors_keep_the_other_rows():
    rows = link_csv.parse("contract,login,product\nCT-1,a@example.com\nCT-2,,TVB\n"
                          ",c@example.com,TVB\nCT-4,d@example.com,TVB,extra\n"
                          "CT-5,e@example.com,X\n")
    assert [(row.error, row.error_args) for row in rows] == [
        (link_csv.ERR_COLUMNS, (3, 2)), (link_csv.ERR_NO_LOGIN, ()),
        (link_csv.ERR_NO_CONTRACT, ()), (link_csv.ERR_COLUMNS, (3, 4)), (None, ())]


@pytest.mark.parametrize("text, code", [
    ("", "empty"), ("\n \n", "empty"),
    ("contract,account\nCT,1\n", "no_login_column"),
    ("login,product\na@example.com,X\n", "no_contract_column"),
    ("login,email,contract\n", "duplicate_column"),
])
def test_header_errors(text, code):
    with pytest.raises(link_csv.CsvFileError) as raised:
        link_csv.parse(text)
    assert raised.value.code == code


def test_normalizers():
    assert link_csv.normalize_vat(" 123.456.789-09 ") == "12345678909"
    assert link_csv.normalize_vat("12.345.678/0001-95") == "12345678000195"
    assert link_csv.normalize_header("  Número-Conta ") == "numero_conta"


@pytest.mark.parametrize("data", [
    b"contract,login\nCT-1,a\x00@example.com\n",                  # "line contains NUL"
    "contract,login\n".encode("utf-16"),                           # a UTF-16 export
    b'contract,login\nCT-1,"' + b"x" * 200000 + b'"\n',              # over csv's field limit
], ids=["nul", "utf-16", "huge-cell"])
def test_what_the_csv_reader_cannot_read_is_not_csv(data):
    with pytest.raises(link_csv.CsvFileError) as raised:
        link_csv.parse(data)
    assert (raised.value.code, raised.value.params) == (link_csv.ERR_NOT_CSV, ())


def rows_csv(count, login="user{}@example.com"):
    return "contract,login\n" + "".join(
        "CT-{},{}\n".format(index, login.format(index)) for index in range(count))


def test_a_file_over_the_size_cap_is_refused():
    data = rows_csv(3).encode("ascii")
    assert len(link_csv.parse(data, max_bytes=len(data))) == 3
    with pytest.raises(link_csv.CsvFileError) as raised:
        link_csv.parse(data, max_bytes=len(data) - 1)
    assert (raised.value.code, raised.value.params) == (link_csv.ERR_TOO_LARGE,
                                                        (len(data) - 1,))


def test_a_text_is_measured_in_utf8_bytes():
    text = "contrato,usuário\nSão Paulo,a@example.com\n"  # 2 characters of 2 bytes
    assert link_csv.parse(text, max_bytes=len(text) + 2)
    with pytest.raises(link_csv.CsvFileError) as raised:
        link_csv.parse(text, max_bytes=len(text) + 1)
    assert raised.value.code == link_csv.ERR_TOO_LARGE


def blank_lines(size):
    """``size`` bytes of blank lines (of spaces, skipped by the reader)."""
    return (b" " * 99 + b"\n") * (size // 100) + b"\n" * (size % 100)


def test_the_default_size_cap_is_five_megabytes():
    limit = 5 * 1024 * 1024
    header = b"contract,login\nCT-1,a@example.com\n"
    assert link_csv.parse(header + blank_lines(limit - len(header)))
    with pytest.raises(link_csv.CsvFileError) as raised:
        link_csv.parse(header + blank_lines(limit - len(header) + 1))
    assert (raised.value.code, raised.value.params) == (link_csv.ERR_TOO_LARGE, (limit,))


def test_the_row_cap_counts_rows_not_the_header_nor_blank_lines():
    text = "\ncontract,login\n\nCT-1,a@example.com\n\nCT-2,b@example.com\n\n"
    assert len(link_csv.parse(text, max_rows=2)) == 2
    with pytest.raises(link_csv.CsvFileError) as raised:
        link_csv.parse(text + "CT-3,c@example.com\n", max_rows=2)
    assert (raised.value.code, raised.value.params) == (link_csv.ERR_TOO_MANY_ROWS, (2,))


def test_the_default_row_cap_is_20000():
    assert len(link_csv.parse(rows_csv(20000))) == 20000
    with pytest.raises(link_csv.CsvFileError) as raised:
        link_csv.parse(rows_csv(20001))
    assert (raised.value.code, raised.value.params) == (link_csv.ERR_TOO_MANY_ROWS, (20000,))


@pytest.mark.parametrize("char", login_rules.FORMULA_CHARS)
def test_a_login_starting_a_formula_is_a_row_error_as_for_a_tv_user(char):
    """The TV user's check (login_rules.FORMULA_CHARS) already in the plan."""
    rows = link_csv.parse("contract,login\nCT-1, {}cmd@example.com\nCT-2,a{}b@example.com\n"
                          .format(char, char))
    assert [(row.error, row.error_args) for row in rows] == [
        (link_csv.ERR_FORMULA, (char,)), (None, ())]


def test_every_error_code_has_its_message_in_the_odoo_layer():
    with open(os.path.join(ADDON_SERVICES, "subscriber_links.py"), encoding="utf-8") as handle:
        source = handle.read()
    codes = [name for name in dir(link_csv) if name.startswith("ERR_")]
    missing = [name for name in codes if name != "ERR_NOT_CSV"  # the fallback text
               and "code == link_csv.{}:".format(name) not in source]
    assert len(codes) >= 10 and not missing


@pytest.mark.parametrize("document, valid", [
    ("390.533.447-05", True), ("39053344705", True), ("11.222.333/0001-81", True),
    ("11222333000181", True), ("390.533.447-06", False), ("11.222.333/0001-82", False),
    ("111.111.111-11", False), ("123", False), ("ABC12345678", False)])
def test_a_document_is_a_valid_cpf_or_cnpj(document, valid):
    rows = link_csv.parse("vat,login\n{},a@example.com\n".format(document))
    expected = (None, ()) if valid else (link_csv.ERR_DOCUMENT, (document,))
    assert (rows[0].error, rows[0].error_args) == expected
