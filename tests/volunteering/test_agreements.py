"""Agreements with volunteers (art. 44): generated on acceptance from the organisation's
template, accepted online by both parties, over 30 days signed in writing before the first
shift counts, printable in the volunteer's language, and only for the parties."""

from __future__ import annotations

import re
import zlib
from datetime import time, timedelta

import pytest
import sqlalchemy as sa
from freezegun import freeze_time

from app.domain import DomainError
from app.extensions import db
from app.timeutil import local_to_utc, local_today, to_local
from app.volunteering import service
from app.volunteering.agreements import service as agreements
from app.volunteering.agreements.models import Agreement


def _accepted(shift, volunteer, ngo_owner):
    signup = service.sign_up(shift.id, user=volunteer, birth_year=1990)
    service.decide(signup.id, accept=True, message="", actor=ngo_owner)
    db.session.commit()
    return signup


def _inflated(pdf: bytes) -> bytes:
    """The PDF with its compressed streams inflated (font names live in object streams)."""
    # Up to "endstream" whatever precedes it: compressed data may itself end in CR or LF, so
    # the stream is inflated leniently (a decompressor object ignores what follows its end).
    streams = re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S)
    inflated = []
    for stream in streams:
        try:
            inflated.append(zlib.decompressobj().decompress(stream))
        except zlib.error:
            continue
    return pdf + b"".join(inflated)


def _agreement() -> Agreement:
    return db.session.scalar(sa.select(Agreement))


def test_acceptance_generates_the_agreement_and_mails_its_link(
    client, auth, make_opportunity, make_shift, volunteer, ngo_owner, outbox
):
    # At 10:00 Warsaw time: a shift "in three days" run late in the evening would cross
    # midnight and make a two-day engagement.
    morning = local_to_utc(local_today() + timedelta(days=3), time(10))
    shift = make_shift(
        make_opportunity("Kwesta na Starówce", address="Rynek Staromiejski 1"), starts_at=morning
    )
    _accepted(shift, volunteer, ngo_owner)
    agreement = _agreement()
    assert agreement.volunteer_name == "Ola Wolontariuszka" and agreement.language == "pl"
    assert agreement.sections["scope"].startswith("Kwesta na Starówce")
    assert "Rynek Staromiejski 1" in agreement.sections["manner"]
    assert "ryzyku dla zdrowia i bezpieczeństwa" in agreement.sections["health_safety"]
    assert not agreement.written_required and agreement.days == 1
    accepted_mail = outbox()[-1]
    assert f"/wolontariat/porozumienia/{agreement.id}" in accepted_mail.body

    auth.login(volunteer)
    page = client.get(f"/wolontariat/porozumienia/{agreement.id}")
    assert page.status_code == 200
    assert "art. 44 ustawy z dnia 24 kwietnia 2003 r." in page.text
    assert "Dz.U. 2024 poz. 1491" in page.text and "art. 45 ust. 1 pkt 1" in page.text
    assert "Fundacja Razem" in page.text and 'class="vol-certificate vol-agreement"' in page.text
    assert "Porozumienie: Kwesta na Starówce" in client.get("/wolontariat/moje").text


def test_both_parties_accept_online_with_time_and_version(
    client, auth, make_opportunity, make_shift, volunteer, ngo_owner, organisation
):
    _accepted(make_shift(make_opportunity()), volunteer, ngo_owner)
    agreement = _agreement()
    auth.login(volunteer)
    url = f"/wolontariat/porozumienia/{agreement.id}/akceptacja"
    response = client.post(url, data={"costs_waived": "y"})
    assert response.status_code == 303
    db.session.expire_all()
    agreement = _agreement()
    assert agreement.volunteer_accepted_at is not None
    assert agreement.volunteer_accepted_version == agreement.template_version == 0
    assert agreement.costs_waived
    again = client.post(url, data={})
    assert again.status_code == 409 and "już zaakceptowane" in again.text
    page = client.get(f"/wolontariat/porozumienia/{agreement.id}").text
    assert "zwalnia Korzystającego z obowiązku pokrywania kosztów" in page
    # The waiver needs writing under pain of nullity (art. 45 ust. 4): the document says so.
    assert "art. 45 ust. 4 ustawy" in page and "pod rygorem nieważności" in page
    assert "(art. 46 ust. 3 ustawy)" in page  # NNW insurance up to 30 days
    assert "Wolontariusz zaakceptował porozumienie w serwisie Wspólnie" in page

    auth.logout()
    auth.login(ngo_owner)
    org_url = f"/wolontariat/organizacja/{organisation.slug}/porozumienia/{agreement.id}"
    assert client.get(org_url).status_code == 200
    done = client.hx_post(f"{org_url}/akceptacja", data={})
    assert done.status_code == 200 and done.headers["HX-Redirect"].endswith(org_url)
    db.session.expire_all()
    agreement = _agreement()
    assert agreement.organisation_accepted_by_id == ngo_owner.id and agreement.concluded
    assert (
        "zawarte" in client.get(f"/wolontariat/organizacja/{organisation.slug}/porozumienia").text
    )


def test_template_edits_version_new_agreements_and_keep_old_ones(
    client, auth, make_opportunity, make_shift, volunteer, make_user, ngo_owner, organisation
):
    first = make_shift(make_opportunity("Pierwsza"))
    _accepted(first, volunteer, ngo_owner)
    auth.login(ngo_owner)
    url = f"/wolontariat/organizacja/{organisation.slug}/wzor-porozumienia"
    assert "Tekst domyślny" in client.get(url).text
    too_long = client.hx_post(url, data={"health_safety": "x" * 5001})
    assert too_long.status_code == 422 and "5000" in too_long.text
    plain = client.post(url, data={"termination": "y" * 5001})
    assert plain.status_code == 400
    saved = client.post(url, data={"health_safety": "Praca na wysokości: tylko w kasku."})
    assert saved.status_code == 303
    client.post(url, data={"health_safety": "Praca na wysokości: tylko w kasku."})  # no change
    other = make_user(name="Jan Drugi")
    _accepted(make_shift(make_opportunity("Druga")), other, ngo_owner)
    old, new = db.session.scalars(sa.select(Agreement).order_by(Agreement.id)).all()
    assert old.template_version == 0 and "ryzyku" in old.sections["health_safety"]
    assert new.template_version == 1
    assert new.sections["health_safety"] == "Praca na wysokości: tylko w kasku."
    assert "podróży służbowych" in new.sections["costs"]


def _long_offer(make_opportunity, make_shift):
    opportunity = make_opportunity("Korepetycje w świetlicy")
    first = make_shift(opportunity, starts_in=timedelta(days=2))
    make_shift(opportunity, starts_in=timedelta(days=45))
    return first


def test_over_30_days_no_first_shift_without_the_written_agreement(
    client, auth, make_opportunity, make_shift, volunteer, ngo_owner, organisation
):
    first = _long_offer(make_opportunity, make_shift)
    signup = _accepted(first, volunteer, ngo_owner)
    agreement = _agreement()
    assert agreement.written_required and agreement.days > 30
    auth.login(ngo_owner)
    attendance = f"/wolontariat/organizacja/{organisation.slug}/zgloszenia/{signup.id}/obecnosc"
    with freeze_time(first.ends_at + timedelta(days=3)):
        refused = client.post(attendance, data={"attended": "yes", "hours": "2"})
        assert refused.status_code == 409 and "porozumienie na piśmie" in refused.text
        hx = client.hx_post(attendance, data={"attended": "yes", "hours": "2"})
        assert hx.status_code == 409 and "art. 44" in hx.text
        org_url = f"/wolontariat/organizacja/{organisation.slug}/porozumienia/{agreement.id}"
        # Signed after the first shift: that shift still does not count.
        late_day = to_local(first.starts_at).date() + timedelta(days=1)
        assert client.post(f"{org_url}/pisemne", data={"signed_on": late_day}).status_code == 303
        assert client.post(attendance, data={"attended": "yes", "hours": "2"}).status_code == 409
        future = to_local(first.ends_at).date() + timedelta(days=5)  # two days ahead
        bad = client.post(f"{org_url}/pisemne", data={"signed_on": future})
        assert bad.status_code == 422 and "w przyszłości" in bad.text
        empty = client.hx_post(f"{org_url}/pisemne", data={"signed_on": ""})
        assert empty.status_code == 422 and "Podaj datę podpisania." in empty.text
        on_time = to_local(first.starts_at).date()
        assert client.post(f"{org_url}/pisemne", data={"signed_on": on_time}).status_code == 303
        ok = client.post(attendance, data={"attended": "yes", "hours": "2"})
        assert ok.status_code == 303
    db.session.expire_all()
    assert _agreement().written_signed_on == on_time and _agreement().written_recorded_by_id


def test_over_30_days_accepting_after_the_shift_began_needs_the_written_agreement(
    make_opportunity, make_shift, volunteer, ngo_owner
):
    first = _long_offer(make_opportunity, make_shift)
    signup = service.sign_up(first.id, user=volunteer, birth_year=1990)
    db.session.commit()
    with (
        freeze_time(first.starts_at + timedelta(minutes=10)),
        pytest.raises(DomainError, match="porozumienie na piśmie") as refused,
    ):
        service.decide(signup.id, accept=True, message="", actor=ngo_owner)
    assert refused.value.status == 409


def test_added_shift_stretching_past_30_days_requires_writing(
    make_opportunity, make_shift, volunteer, ngo_owner
):
    opportunity = make_opportunity()
    first = make_shift(opportunity)
    signup = _accepted(first, volunteer, ngo_owner)
    assert not _agreement().written_required
    make_shift(opportunity, starts_in=timedelta(days=60))
    db.session.refresh(opportunity)
    with (
        freeze_time(first.ends_at + timedelta(hours=1)),
        pytest.raises(DomainError, match="porozumienie na piśmie"),
    ):
        service.record_attendance(signup.id, attended=True, hours=None, actor=ngo_owner)
    assert _agreement().written_required


def test_up_to_30_days_hours_count_with_the_online_agreement(
    make_opportunity, make_shift, volunteer, ngo_owner
):
    shift = make_shift(make_opportunity())
    signup = _accepted(shift, volunteer, ngo_owner)
    with freeze_time(shift.ends_at + timedelta(hours=1)):
        service.record_attendance(signup.id, attended=True, hours=None, actor=ngo_owner)
    assert signup.attended and not _agreement().written_required


def test_agreement_is_in_the_volunteers_language(
    client, auth, make_opportunity, make_shift, make_user, ngo_owner
):
    english = make_user(name="Emma Smith", locale="en")
    _accepted(make_shift(make_opportunity()), english, ngo_owner)
    agreement = _agreement()
    assert agreement.language == "en"
    auth.login(english)
    page = client.get(f"/wolontariat/porozumienia/{agreement.id}").text
    assert '<article class="vol-certificate vol-agreement" lang="en">' in page
    assert "art. 44" in page and "Dz.U. 2024 poz. 1491" in page
    assert "Agreement on the performance of volunteer services" in page
    assert "The Beneficiary informs the Volunteer" in agreement.sections["health_safety"]


def test_only_the_parties_see_and_accept_the_agreement(
    client,
    auth,
    make_opportunity,
    make_shift,
    make_organisation,
    make_user,
    volunteer,
    ngo_owner,
    organisation,
    staff,
):
    _accepted(make_shift(make_opportunity()), volunteer, ngo_owner)
    agreement = _agreement()
    mine = f"/wolontariat/porozumienia/{agreement.id}"
    org_url = f"/wolontariat/organizacja/{organisation.slug}/porozumienia/{agreement.id}"
    template_url = f"/wolontariat/organizacja/{organisation.slug}/wzor-porozumienia"
    # Anonymous: to the login page.
    for url in (mine, org_url, template_url):
        assert client.get(url).status_code == 302
    assert client.post(f"{mine}/akceptacja", data={}).status_code == 302
    # Another volunteer: not found.
    auth.login(make_user(name="Obca Osoba"))
    assert client.get(mine).status_code == 404
    assert client.post(f"{mine}/akceptacja", data={}).status_code == 404
    auth.logout()
    # A member of another organisation: forbidden here, not found under their own.
    outsider = make_user(name="Członek Innej")
    other = make_organisation("Inna Fundacja", owner=outsider)
    auth.login(outsider)
    assert client.get(org_url).status_code == 403
    assert client.post(f"{org_url}/akceptacja", data={}).status_code == 403
    assert client.post(f"{org_url}/pisemne", data={"signed_on": "2026-01-01"}).status_code == 403
    assert client.get(template_url).status_code == 403
    foreign = f"/wolontariat/organizacja/{other.slug}/porozumienia/{agreement.id}"
    assert client.get(foreign).status_code == 404
    assert client.post(f"{foreign}/akceptacja", data={}).status_code == 404
    auth.logout()
    # City staff may read, not conclude on the organisation's behalf.
    auth.login(staff)
    assert client.get(org_url).status_code == 200
    assert client.post(f"{org_url}/akceptacja", data={}).status_code == 403
    assert client.get(template_url).status_code == 200  # staff read, never save
    assert client.post(template_url, data={"costs": "x"}).status_code == 403
    db.session.expire_all()
    assert (
        _agreement().organisation_accepted_at is None and _agreement().volunteer_accepted_at is None
    )


def test_a_member_cannot_conclude_an_agreement_with_himself(
    make_opportunity, make_shift, make_user, make_organisation, ngo_owner
):
    editor = make_user(name="Ela Redaktorka")
    organisation = make_organisation("Stowarzyszenie", owner=ngo_owner, editors=[editor])
    shift = make_shift(make_opportunity(org=organisation))
    _accepted(shift, editor, ngo_owner)
    with pytest.raises(DomainError) as refused:
        agreements.accept_as_organisation(_agreement(), actor=editor)
    assert refused.value.status == 403


def test_account_download_and_deletion_cover_agreements(
    make_opportunity, make_shift, volunteer, ngo_owner
):
    from app.accounts.privacy import delete_account, export_personal_data

    _accepted(make_shift(make_opportunity("Kwesta")), volunteer, ngo_owner)
    exported = export_personal_data(volunteer)["volunteering_agreements"]
    assert exported[0]["opportunity"] == "Kwesta" and exported[0]["text"]["scope"]
    delete_account(volunteer)
    db.session.commit()
    db.session.expire_all()
    assert _agreement() is None  # never concluded: deleted (tests/volunteering/test_erasure.py)


def test_agreement_pdf_for_the_parties_only(
    client, auth, make_opportunity, make_shift, make_user, make_organisation, volunteer,
    ngo_owner, organisation,
):  # fmt: skip
    _accepted(make_shift(make_opportunity("Zbiórka żywności – Łódź")), volunteer, ngo_owner)
    agreement = _agreement()
    mine = f"/wolontariat/porozumienia/{agreement.id}.pdf"
    org = f"/wolontariat/organizacja/{organisation.slug}/porozumienia/{agreement.id}.pdf"
    assert client.get(mine).status_code == 302
    auth.login(volunteer)
    pdf = client.get(mine)
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    assert re.search(rb"/BaseFont\s*/\w+\+(DejaVu|Noto)", _inflated(pdf.data))  # Polish letters
    auth.logout()
    auth.login(make_user(name="Ktoś"))
    assert client.get(mine).status_code == 404
    auth.logout()
    outsider = make_user(name="Obcy")
    make_organisation("Inna", owner=outsider)
    auth.login(outsider)
    assert client.get(org).status_code == 403
    auth.logout()
    auth.login(ngo_owner)
    assert client.get(org).data.startswith(b"%PDF")
