"""KRS, NIP and REGON: the check digits catch typos before they reach the base."""

from __future__ import annotations

import pytest

from app.organisations import identifiers


@pytest.fixture(autouse=True)
def _context(app):
    with app.test_request_context():
        yield


@pytest.mark.parametrize("value", ["5260250274", "526-025-02-74", "PL 526 025 02 74"])
def test_valid_nip_is_normalised_to_digits(value):
    assert identifiers.normalise_nip(value) == "5260250274"


@pytest.mark.parametrize("value", ["5260250275", "123", "52602502741", "abcdefghij"])
def test_invalid_nip_is_refused(value):
    with pytest.raises(ValueError):
        identifiers.normalise_nip(value)


@pytest.mark.parametrize("value", ["123456785", "12345678512347"])
def test_valid_regon(value):
    assert identifiers.normalise_regon(value) == value


@pytest.mark.parametrize("value", ["123456786", "12345678512348", "1234"])
def test_invalid_regon_is_refused(value):
    with pytest.raises(ValueError):
        identifiers.normalise_regon(value)


def test_krs_has_ten_digits():
    assert identifiers.normalise_krs("0000 123 456") == "0000123456"
    with pytest.raises(ValueError, match="10 cyfr"):
        identifiers.normalise_krs("12345")


def test_check_digit_helpers_make_valid_numbers():
    assert identifiers.nip_is_valid(identifiers.with_nip_check_digit("526025027"))
    assert identifiers.regon_is_valid(identifiers.with_regon_check_digit("12345678"))
