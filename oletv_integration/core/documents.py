# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Brazilian customers' documents (CPF, CNPJ), free of Odoo imports:
python-stdnum checks the check digits.

The link CSV checks the document written in a row (link_csv.py); the
customer check (services/customer_documents.py) checks the customer's VAT
before the addon creates a TV user on the platform. The platform's create
takes no document (docs/oletv-api.yaml, SubscriberCreate): an empty VAT is
allowed, a wrong one is refused."""
import re

from stdnum.br import cnpj, cpf

BRAZIL = "BR"
CPF_DIGITS = 11
CNPJ_DIGITS = 14

# the punctuation of 123.456.789-09 and 11.222.333/0001-81, and spaces
_PUNCTUATION = re.compile(r"[.\-/\s]")


def document_digits(text):
    """A document as typed -> its digits: punctuation and spaces removed,
    and the "BR" country prefix some VAT conventions write (Odoo's base_vat)."""
    digits = _PUNCTUATION.sub("", text or "")
    if digits[:2].upper() == BRAZIL:
        digits = digits[2:]
    return digits


def valid_document(text):
    """A valid CPF (11 digits) or CNPJ (14 digits), punctuated or not."""
    digits = document_digits(text)
    if len(set(digits)) == 1:  # 111.111.111-11: right check digits, never issued
        return False
    if len(digits) == CPF_DIGITS:
        return cpf.is_valid(digits)
    return len(digits) == CNPJ_DIGITS and cnpj.is_valid(digits)


def is_brazilian(country_code, company_country_code):
    """A customer in Brazil: its country is Brazil, or it has none and its
    company's (the contract's) is Brazil."""
    return (country_code or company_country_code or "").upper() == BRAZIL


def document_refused(vat, country_code, company_country_code):
    """True when a Brazilian customer's VAT is written but is not a valid
    CPF or CNPJ; an empty VAT, or a customer abroad, is not refused."""
    if not (vat or "").strip() or not is_brazilian(country_code, company_country_code):
        return False
    return not valid_document(vat)
