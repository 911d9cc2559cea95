"""Opinions (art. 44 ust. 5): the volunteer requests one from an organisation that confirmed
their hours; another member writes it; the volunteer reads and prints it."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from freezegun import freeze_time

from app.extensions import db
from app.pdf import weasyprint_available
from app.volunteering import service
from app.volunteering.agreements.models import Opinion


def _worked(make_opportunity, make_shift, volunteer, ngo_owner):
    shift = make_shift(make_opportunity("Kwesta"), hours=3)
    signup = service.sign_up(shift.id, user=volunteer, birth_year=1990)
    service.decide(signup.id, accept=True, message="", actor=ngo_owner)
    with freeze_time(shift.ends_at + timedelta(hours=1)):
        service.record_attendance(signup.id, attended=True, hours=None, actor=ngo_owner)
    db.session.commit()


def test_request_write_and_read_an_opinion(
    client, auth, make_opportunity, make_shift, volunteer, ngo_owner, organisation, outbox
):
    auth.login(volunteer)
    nothing = client.post(f"/wolontariat/opinie/{organisation.slug}", data={"note": "Proszę"})
    assert nothing.status_code == 404  # no confirmed hours there yet
    _worked(make_opportunity, make_shift, volunteer, ngo_owner)
    assert "Poproś o opinię" in client.get("/wolontariat/moje").text
    asked = client.post(f"/wolontariat/opinie/{organisation.slug}", data={"note": "Do CV"})
    assert asked.status_code == 303
    again = client.post(f"/wolontariat/opinie/{organisation.slug}", data={})
    assert again.status_code == 409
    opinion = db.session.scalar(sa.select(Opinion))
    assert any("Do CV" in m.body and m.recipient == ngo_owner.email for m in outbox())
    assert "Organizacja wystawi opinię" in client.get(f"/wolontariat/opinie/{opinion.id}").text
    auth.logout()

    auth.login(ngo_owner)
    url = f"/wolontariat/organizacja/{organisation.slug}/opinie/{opinion.id}"
    assert (
        "Ola Wolontariuszka"
        in client.get(f"/wolontariat/organizacja/{organisation.slug}/opinie").text
    )
    empty = client.post(url, data={"text": "  "})
    assert empty.status_code == 400 and "Napisz treść opinii." in empty.text
    done = client.post(url, data={"text": "Sumienna i punktualna."})
    assert done.status_code == 303
    assert client.post(url, data={"text": "Jeszcze raz"}).status_code == 409
    auth.logout()

    auth.login(volunteer)
    page = client.get(f"/wolontariat/opinie/{opinion.id}").text
    assert "art. 44 ust. 5" in page and "Sumienna i punktualna." in page
    assert "na rzecz organizacji: Fundacja Razem" in page and "3 godz." in page
    assert f"/wolontariat/opinie/{opinion.id}.pdf" in page
    pdf = client.get(f"/wolontariat/opinie/{opinion.id}.pdf")
    if weasyprint_available():
        assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
        assert pdf.headers["Content-Disposition"] == f'inline; filename="opinia-{opinion.id}.pdf"'
    else:
        assert pdf.status_code == 503
    assert any(
        m.recipient == volunteer.email and "/wolontariat/opinie/" in m.body for m in outbox()
    )


def test_only_the_parties_see_and_write_opinions(
    client, auth, make_opportunity, make_shift, make_user, make_organisation, volunteer,
    ngo_owner, organisation, staff,
):  # fmt: skip
    _worked(make_opportunity, make_shift, volunteer, ngo_owner)
    auth.login(volunteer)
    client.post(f"/wolontariat/opinie/{organisation.slug}", data={})
    auth.logout()
    opinion = db.session.scalar(sa.select(Opinion))
    mine = f"/wolontariat/opinie/{opinion.id}"
    url = f"/wolontariat/organizacja/{organisation.slug}/opinie/{opinion.id}"
    assert client.get(mine).status_code == 302 and client.get(url).status_code == 302
    assert client.post(f"/wolontariat/opinie/{organisation.slug}").status_code == 302
    auth.login(make_user(name="Ktoś"))
    assert client.get(mine).status_code == 404
    assert client.get(f"{mine}.pdf").status_code == 404
    auth.logout()
    outsider = make_user(name="Obcy")
    other = make_organisation("Inna", owner=outsider)
    auth.login(outsider)
    assert client.get(url).status_code == 403
    assert client.post(url, data={"text": "x"}).status_code == 403
    foreign = f"/wolontariat/organizacja/{other.slug}/opinie/{opinion.id}"
    assert client.get(foreign).status_code == 404
    assert client.get(f"{url}.pdf").status_code == 403
    assert client.get(f"{foreign}.pdf").status_code == 404
    auth.logout()
    auth.login(staff)
    assert client.get(url).status_code == 200
    assert client.get(f"{url}.pdf").status_code == 404  # not written yet
    assert client.post(url, data={"text": "x"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(Opinion, opinion.id).written_at is None


def test_account_download_and_deletion_cover_opinions(
    make_opportunity, make_shift, volunteer, ngo_owner, organisation
):
    from app.accounts.privacy import delete_account, export_personal_data
    from app.volunteering.agreements import opinions

    _worked(make_opportunity, make_shift, volunteer, ngo_owner)
    opinion = opinions.request_opinion(organisation, user=volunteer, note="Do CV")
    opinions.write_opinion(opinion, "Bardzo dobra praca.", actor=ngo_owner)
    exported = export_personal_data(volunteer)["volunteering_opinions"]
    assert (
        exported[0]["text"] == "Bardzo dobra praca."
        and exported[0]["organisation"] == "Fundacja Razem"
    )
    delete_account(volunteer)
    db.session.commit()
    opinion = db.session.scalar(sa.select(Opinion))
    assert opinion.user_id is None and opinion.volunteer_name == "" and opinion.request_note == ""
