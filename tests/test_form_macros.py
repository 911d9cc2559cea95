"""The form macros tie help texts and errors to their fields, and never write "None"."""

from __future__ import annotations

import re


def test_fields_without_help_or_errors_have_no_aria_attributes(client):
    page = client.get("/konto/logowanie").text
    assert "None" not in page
    email = re.search(r"<input[^>]*id=\"email\"[^>]*>", page).group(0)
    assert "aria-describedby" not in email and "aria-invalid" not in email


def test_errors_and_help_are_described_and_summarised(client):
    response = client.post("/konto/rejestracja", data={"email": "zły-adres", "password": "krótkie"})
    assert response.status_code == 400
    page = response.text
    password = re.search(r"<input[^>]*id=\"password\"[^>]*>", page).group(0)
    assert 'aria-describedby="password-help password-error"' in password
    assert 'aria-invalid="true"' in password
    assert 'id="password-help"' in page and 'id="password-error"' in page
    # The summary links each error to its field; the user's values are kept.
    assert '<div class="error-summary" role="alert" tabindex="-1"' in page
    assert 'href="#email"' in page and 'href="#password"' in page
    assert 'value="zły-adres"' in page
