"""An NGO member applies to a school's allocation round (nabór) and withdraws the activity
again, so the shared demo database is left as it was for the other run mode."""

from __future__ import annotations

from tests.browser.flows import flow

ROUND = "Nabór na zajęcia pozalekcyjne – SP 7"
NGO = "Fundacja Razem dla Seniora"


@flow()
def ngo_applies_to_an_allocation_round(page, ctx):
    mode = "js" if page.evaluate("typeof window.htmx") == "object" else "nojs"
    activity = f"Gimnastyka korekcyjna ({mode})"
    ctx.login("ngo_owner")
    page.get_by_role("navigation", name="Główna nawigacja").get_by_role(
        "link", name="Przestrzenie"
    ).click()
    page.wait_for_url("**/przestrzenie/")
    page.get_by_role("main").get_by_role("link", name="Nabory na stałe terminy").click()
    page.wait_for_url("**/przestrzenie/nabory")
    page.get_by_role("link", name=ROUND).click()
    assert page.get_by_role("heading", level=1).inner_text() == ROUND
    page.get_by_role("link", name="Złóż wniosek (dodaj zajęcia)").click()
    page.wait_for_url("**/wniosek")

    # A first attempt with the lengths the wrong way round is shown on the form, values kept.
    page.get_by_label("Organizacja").select_option(label=NGO)
    page.get_by_label("Zajęcia (nazwa)").fill(activity)
    page.get_by_label("Liczba uczestników").fill("14")
    page.get_by_label("Grupa wiekowa").select_option(label="seniorzy")
    page.get_by_label("Najkrótszy czas spotkania (minuty)").fill("120")
    page.get_by_label("Najdłuższy czas spotkania (minuty)").fill("60")
    page.get_by_label("Sala – pierwszy wybór").select_option(label="SP 7 – sala gimnastyczna")
    page.get_by_label("Sala – drugi wybór").select_option(label="SP 7 – sala 12 (z rzutnikiem)")
    page.get_by_label("Dzień (pierwszy wybór)").select_option(label="środa")
    page.get_by_label("Od (pierwszy wybór)").fill("16:30")
    page.get_by_label("Do (pierwszy wybór)").fill("18:00")
    page.get_by_label("Dzień (drugi wybór)").select_option(label="poniedziałek")
    page.get_by_label("Od (drugi wybór)").fill("17:00")
    page.get_by_label("Do (drugi wybór)").fill("18:30")
    page.get_by_role("button", name="Dodaj zajęcia do wniosku").click()
    page.wait_for_load_state("load")
    summary = page.get_by_role("alert")
    assert "Najkrótszy czas zajęć nie może być dłuższy niż najdłuższy." in summary.inner_text()
    assert page.get_by_label("Zajęcia (nazwa)").input_value() == activity

    page.get_by_label("Najkrótszy czas spotkania (minuty)").fill("60")
    page.get_by_label("Najdłuższy czas spotkania (minuty)").fill("90")
    page.get_by_role("button", name="Dodaj zajęcia do wniosku").click()
    page.wait_for_url("**/przestrzenie/nabory/*")
    assert "Zajęcia dodane do wniosku organizacji" in page.locator("#flash-messages").inner_text()
    card = page.get_by_role("article").filter(has_text=activity)
    assert "środa 16:30–18:00 (pierwszy wybór)" in card.inner_text()
    assert "poniedziałek 17:00–18:30 (drugi wybór)" in card.inner_text()

    card.get_by_role("button", name=f"Wycofaj zajęcia: {activity}").click()
    page.wait_for_url("**/przestrzenie/nabory/*")
    assert page.get_by_role("article").filter(has_text=activity).count() == 0
