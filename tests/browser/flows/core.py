"""Flows of the shell: header search, login and logout, language switch."""

from __future__ import annotations

from app.accounts.demo import DEMO_PASSWORD
from tests.browser import harness
from tests.browser.flows import flow


@flow()
def header_search(page, ctx):
    page.goto("/")
    page.get_by_role("searchbox", name="Szukaj w serwisie").fill("Razem")
    page.get_by_role("searchbox", name="Szukaj w serwisie").press("Enter")
    page.wait_for_url("**/szukaj/?q=Razem")
    assert page.get_by_role("heading", level=1).inner_text() == "Szukaj w serwisie"
    assert page.get_by_role("link", name="Fundacja Razem dla Seniora").first.is_visible()


@flow()
def header_search_without_polish_letters(page, ctx):
    page.goto("/")
    search = page.get_by_role("searchbox", name="Szukaj w serwisie")
    search.fill("rubinkowo sasiedzi")
    page.get_by_role("search").get_by_role("button", name="Szukaj").click()
    page.wait_for_url("**/szukaj/**")
    assert page.get_by_text("Stowarzyszenie Rubinkowo Sąsiedzi").first.is_visible()


@flow()
def login_and_logout(page, ctx):
    page.goto("/")
    page.get_by_role("navigation").get_by_role("link", name="Logowanie").click()
    page.get_by_label("Adres e-mail").fill(harness.demo_email("volunteer"))
    page.get_by_label("Hasło").fill("wrong password")
    page.get_by_role("main").get_by_role("button", name="Zaloguj się").click()
    assert page.get_by_role("alert").get_by_text("Nieprawidłowy adres e-mail lub hasło.").count()
    assert page.get_by_label("Adres e-mail").input_value() == harness.demo_email("volunteer")
    page.get_by_label("Hasło").fill(DEMO_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Zaloguj się").click()
    page.wait_for_url("**/konto")
    assert page.get_by_role("heading", level=1).inner_text() == "Twoje konto"
    page.get_by_role("banner").get_by_role("button", name="Wyloguj").click()
    page.wait_for_url(lambda url: url.endswith("/"))
    assert page.get_by_text("Wylogowano.").is_visible()


@flow()
def language_switch(page, ctx):
    page.goto("/prywatnosc")
    page.get_by_label("Język").select_option("en")
    with page.expect_navigation():
        page.get_by_role("button", name="Zmień język").click()
    assert page.url.endswith("/prywatnosc")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Personal data protection"
    # Remembered on the next page, in this browser.
    page.get_by_role("navigation").get_by_role("link", name="Spaces").click()
    assert page.evaluate("document.documentElement.lang") == "en"
    page.get_by_label("Language").select_option("uk")
    with page.expect_navigation():
        page.get_by_role("button", name="Change language").click()
    assert page.evaluate("document.documentElement.lang") == "uk"
