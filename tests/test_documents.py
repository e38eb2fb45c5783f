"""Brazilian customers' documents (core/documents.py): which CPF and CNPJ
are valid, who is a Brazilian customer, and when the customer check refuses."""
import pytest

from pure_addon import load

documents = load("documents")


@pytest.mark.parametrize("document, valid", [
    ("390.533.447-05", True), ("39053344705", True), ("11.222.333/0001-81", True),
    ("11222333000181", True), ("BR39053344705", True), ("br 11.222.333/0001-81", True),
    ("390.533.447-06", False), ("11.222.333/0001-82", False), ("111.111.111-11", False),
    ("00000000000000", False), ("123", False), ("ABC12345678", False), ("", False),
    (None, False), ("3905334470", False), ("390533447051", False)])
def test_a_document_is_a_valid_cpf_or_cnpj(document, valid):
    assert documents.valid_document(document) is valid


@pytest.mark.parametrize("country, company_country, brazilian", [
    ("BR", "US", True), ("br", None, True), (None, "BR", True), (False, "BR", True),
    ("PT", "BR", False), (None, "US", False), (None, None, False)])
def test_a_brazilian_customer_is_in_brazil_or_of_a_brazilian_company(
        country, company_country, brazilian):
    assert documents.is_brazilian(country, company_country) is brazilian


@pytest.mark.parametrize("vat, country, company_country, refused", [
    ("390.533.447-05", "BR", "BR", False),   # a valid CPF
    ("11.222.333/0001-81", None, "BR", False),  # a valid CNPJ, no country: the company's
    ("390.533.447-06", "BR", "BR", True),    # wrong check digit
    ("390.533.447-06", None, "BR", True),
    ("12345", "BR", "US", True),             # too short
    ("", "BR", "BR", False),                 # no document: the platform takes none
    (False, "BR", "BR", False),
    ("   ", None, "BR", False),
    ("PT123456789", "PT", "BR", False),      # a customer abroad: not a CPF/CNPJ
    ("390.533.447-06", None, "US", False)])  # not in Brazil
def test_the_customer_check_refuses_a_wrong_document_of_a_brazilian_customer(
        vat, country, company_country, refused):
    assert documents.document_refused(vat, country, company_country) is refused
