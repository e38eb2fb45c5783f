# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Reading the "link existing subscribers" CSV, free of Odoo imports.

The file is the usual export of a previous ERP: one row per TV user, with a
header naming the columns (English or Portuguese names, see COLUMN_ALIASES),
separated by commas, semicolons or tabs. Problems are reported as codes
(ERR_*) with arguments; the Odoo layer turns them into translated text."""
import csv
import io
import re
import unicodedata
from collections import namedtuple

from .documents import valid_document
from .login_rules import FORMULA_CHARS

CONTRACT = "contract"
VAT = "vat"
LOGIN = "login"
ACCOUNT = "account_number"
PRODUCT = "product"

# Normalized header text -> column. Headers are compared lower-case, without
# accents, with spaces, dots and hyphens turned into underscores.
COLUMN_ALIASES = {
    CONTRACT: ("contract", "contract_ref", "contract_reference", "contract_code", "reference",
               "ref", "code", "contrato", "id_contrato", "referencia", "codigo_contrato"),
    VAT: ("vat", "document", "customer_vat", "customer_document", "tax_id", "cpf", "cnpj",
          "cpf_cnpj", "cnpj_cpf", "documento", "doc"),
    LOGIN: ("login", "tv_login", "email", "e_mail", "login_tv", "usuario"),
    ACCOUNT: ("account_number", "account", "platform_account", "account_no", "conta",
              "numero_conta", "id_ole", "ole_account"),
    PRODUCT: ("product", "tv_product", "product_code", "produto", "plano", "plan"),
}
_ALIAS_TO_COLUMN = {alias: column for column, aliases in COLUMN_ALIASES.items()
                    for alias in aliases}

# File and header problems (the whole file is refused).
ERR_EMPTY = "empty"
ERR_NO_LOGIN_COLUMN = "no_login_column"
ERR_NO_CONTRACT_COLUMN = "no_contract_column"
ERR_DUPLICATE_COLUMN = "duplicate_column"
ERR_NOT_CSV = "not_csv"
ERR_TOO_LARGE = "too_large"      # args: the maximum size in bytes
ERR_TOO_MANY_ROWS = "too_many_rows"  # args: the maximum number of rows
# Row problems (the row is reported, the others go on).
ERR_COLUMNS = "columns"          # args: expected, found
ERR_NO_LOGIN = "no_login"
ERR_FORMULA = "formula"          # args: the login's first character
ERR_NO_CONTRACT = "no_contract"
ERR_DOCUMENT = "document"        # args: the VAT/document as written

# A file is planned in one request: its platform reads and its queries grow
# with its rows (1,000 rows take about half a minute).
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20000
# A run in the background (tv.link.run) plans and links in jobs of one chunk
# each: a migration's file, a 50,000-row one with room to spare.
MAX_RUN_FILE_BYTES = 20 * 1024 * 1024
MAX_RUN_ROWS = 100000

DELIMITERS = (",", ";", "\t")

CsvRow = namedtuple("CsvRow", "row contract vat login account product error error_args")


class CsvFileError(Exception):
    """The file cannot be read at all: ``code`` and ``args`` say why."""

    def __init__(self, code, *args):
        super().__init__(code, *args)
        self.code = code
        self.params = args


def decode(data):
    """Bytes of an uploaded file -> text (UTF-8 with or without BOM, else
    Windows-1252, the usual encoding of Brazilian spreadsheet exports)."""
    if isinstance(data, str):
        return data.lstrip("\ufeff")
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CsvFileError(ERR_NOT_CSV)  # pragma: no cover - latin-1 decodes anything


def normalize_header(text):
    text = unicodedata.normalize("NFKD", (text or "").strip().lower())
    text = "".join(char for char in text if not unicodedata.combining(char))
    return re.sub(r"[\s.\-/]+", "_", text).strip("_")


def normalize_vat(text):
    """Compare documents without punctuation: 123.456.789-09 == 12345678909."""
    return re.sub(r"[^0-9A-Za-z]", "", text or "").upper()


def guess_delimiter(header_line):
    counts = {delimiter: header_line.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def map_header(cells):
    """Header cells -> {column: index}; unknown columns are ignored."""
    positions = {}
    for index, cell in enumerate(cells):
        column = _ALIAS_TO_COLUMN.get(normalize_header(cell))
        if not column:
            continue
        if column in positions:
            raise CsvFileError(ERR_DUPLICATE_COLUMN, cell.strip())
        positions[column] = index
    if LOGIN not in positions:
        raise CsvFileError(ERR_NO_LOGIN_COLUMN)
    if CONTRACT not in positions and VAT not in positions:
        raise CsvFileError(ERR_NO_CONTRACT_COLUMN)
    return positions


def parse(text, max_bytes=MAX_FILE_BYTES, max_rows=MAX_ROWS):
    """CSV text -> list of CsvRow (``row`` is the line number in the file,
    the header being line 1). Blank lines are skipped; a row with another
    number of cells than the header, without login or contract/VAT, or whose
    login starts a spreadsheet formula, carries an error code. A file over
    ``max_bytes`` or ``max_rows`` rows (the header and blank lines aside) is
    refused."""
    return list(iter_rows(text, max_bytes, max_rows))


def iter_rows(text, max_bytes=MAX_FILE_BYTES, max_rows=MAX_ROWS):
    """parse() one row at a time, for a file too large to hold as rows (a
    link run's 100,000): the refusals come as the rows are read, the file's
    own (size, encoding, header) before the first row."""
    _check_size(text, max_bytes)
    text = decode(text)
    if "\x00" in text:  # binary or UTF-16; Python 3.11+'s csv would read it
        raise CsvFileError(ERR_NOT_CSV)
    first = next((line for line in io.StringIO(text, newline=None) if line.strip()), None)
    if first is None:
        raise CsvFileError(ERR_EMPTY)
    reader = csv.reader(io.StringIO(text), delimiter=guess_delimiter(first))
    try:
        yield from _read_rows(reader, max_rows)
    except csv.Error:  # e.g. a cell over csv's field size limit (128 kB)
        raise CsvFileError(ERR_NOT_CSV) from None


def _check_size(data, max_bytes):
    """Refuse a file over ``max_bytes``; a text counts as UTF-8 (encoded
    only when its length in characters leaves the question open)."""
    size = len(data)
    if isinstance(data, str) and size <= max_bytes:
        size = len(data.encode("utf-8"))
    if size > max_bytes:
        raise CsvFileError(ERR_TOO_LARGE, max_bytes)


def _read_rows(reader, max_rows):
    positions = None
    width = 0
    count = 0
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        if positions is None:
            positions = map_header(cells)
            width = len(cells)
            continue
        if count >= max_rows:
            raise CsvFileError(ERR_TOO_MANY_ROWS, max_rows)
        count += 1
        yield _row(reader.line_num, cells, positions, width)
    if positions is None:
        raise CsvFileError(ERR_EMPTY)


def _row(line_number, cells, positions, width):
    def cell(column):
        index = positions.get(column)
        if index is None or index >= len(cells):
            return ""
        return cells[index].strip()

    values = {column: cell(column) for column in (CONTRACT, VAT, ACCOUNT, PRODUCT)}
    values["login"] = cell(LOGIN).lower()
    error, error_args = None, ()
    if len(cells) != width:
        error, error_args = ERR_COLUMNS, (width, len(cells))
    elif not values["login"]:
        error = ERR_NO_LOGIN
    elif values["login"].startswith(FORMULA_CHARS):  # as the TV user's check
        error, error_args = ERR_FORMULA, (values["login"][0],)
    elif not values[CONTRACT] and not values[VAT]:
        error = ERR_NO_CONTRACT
    elif values[VAT] and not valid_document(values[VAT]):
        error, error_args = ERR_DOCUMENT, (values[VAT],)
    return CsvRow(row=line_number, contract=values[CONTRACT], vat=values[VAT],
                  login=values["login"], account=values[ACCOUNT], product=values[PRODUCT],
                  error=error, error_args=error_args)
