"""Photos of a space (issue 16 item 2): upload with alt text, re-encoded without metadata,
resized with a thumbnail; wrong type, oversized file and decompression bomb refused with a
clear message and status, never a 500; served with long cache headers; order and delete;
shown on the catalogue card and the space page with their alt text."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import sqlalchemy as sa
from PIL import Image

from app.extensions import db
from app.spaces.details_models import SpacePhoto


def jpeg(width=2400, height=1200, *, exif=True, colour=(200, 120, 40)) -> bytes:
    image = Image.new("RGB", (width, height), colour)
    out = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x010F] = "Aparat Testowy"  # Make
        data[0x0131] = "Edytor 1.0"  # Software
        image.save(out, "JPEG", exif=data.tobytes(), comment=b"tajny komentarz")
    else:
        image.save(out, "JPEG")
    return out.getvalue()


def png_bomb(width=30_000, height=30_000) -> bytes:
    """A tiny PNG whose header claims 900 megapixels (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    row = b"\x00" + b"\x00" * 3 * 16
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row))
        + chunk(b"IEND", b"")
    )


def upload(client, space, data: bytes, alt="Sala z krzesłami", name="sala.jpg", **kwargs):
    return client.post(
        f"/przestrzenie/sala/{space.slug}/zdjecia",
        data={"alt_text": alt, "photo": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
        **kwargs,
    )


def photos_of(space) -> list[SpacePhoto]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(SpacePhoto)
            .where(SpacePhoto.space_id == space.id)
            .order_by(SpacePhoto.position)
        )
    )


def test_upload_resizes_strips_metadata_and_serves_with_long_cache(
    app, client, auth, make_space, provider_manager
):
    space = make_space()
    auth.login(provider_manager)
    response = upload(client, space, jpeg())
    assert response.status_code == 303
    [photo] = photos_of(space)
    assert (photo.width, photo.height, photo.alt_text) == (1600, 800, "Sala z krzesłami")
    folder = Path(app.config["PHOTO_UPLOAD_FOLDER"])
    assert {p.name for p in folder.iterdir()} == {photo.filename, photo.thumb_filename}

    auth.logout()
    served = client.get(f"/przestrzenie/zdjecia/{photo.token}.jpg")
    body = served.data
    served.close()
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert "max-age=31536000" in served.headers["Cache-Control"]
    assert "immutable" in served.headers["Cache-Control"]
    stored = Image.open(io.BytesIO(body))
    assert stored.size == (1600, 800)
    assert not stored.getexif() and "comment" not in stored.info and "exif" not in stored.info
    assert b"Aparat Testowy" not in body and b"tajny komentarz" not in body
    with client.get(f"/przestrzenie/zdjecia/{photo.token}/miniatura.jpg") as served_thumb:
        thumb = Image.open(io.BytesIO(served_thumb.data))
    assert max(thumb.size) == 480
    assert client.get("/przestrzenie/zdjecia/nieistniejacy-token-0000000.jpg").status_code == 404


def test_the_card_and_the_space_page_show_the_photo_with_its_alt_text(
    client, auth, make_space, provider_manager
):
    space = make_space("Sala z oknami")
    auth.login(provider_manager)
    upload(client, space, jpeg(), alt="Jasna sala z dużymi oknami")
    [photo] = photos_of(space)
    auth.logout()
    card = client.get("/przestrzenie/").get_data(as_text=True)
    assert (
        f'/przestrzenie/zdjecia/{photo.token}/miniatura.jpg" alt="Jasna sala z dużymi oknami"'
        in card
    )
    page = client.get(f"/przestrzenie/sala/{space.slug}").get_data(as_text=True)
    assert 'alt="Jasna sala z dużymi oknami"' in page


def test_wrong_type_is_refused_with_a_message_and_nothing_stored(
    app, client, auth, make_space, provider_manager
):
    space = make_space()
    auth.login(provider_manager)
    # A text file named .jpg, and a GIF (a real image of a type we do not accept).
    for data, name in (
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "zdjecie.jpg"),
        (_gif(), "animacja.gif"),
    ):
        response = upload(client, space, data, name=name)
        assert response.status_code == 400
        assert "To nie jest zdjęcie w formacie JPEG, PNG ani WebP." in response.get_data(
            as_text=True
        )
        assert 'value="Sala z krzesłami"' in response.get_data(as_text=True)  # kept
    htmx = upload(client, space, b"not an image", headers={"HX-Request": "true"})
    assert htmx.status_code == 422
    assert photos_of(space) == []


def _gif() -> bytes:
    out = io.BytesIO()
    Image.new("P", (10, 10)).save(out, "GIF")
    return out.getvalue()


def test_oversized_file_is_refused(app, client, auth, make_space, provider_manager):
    space = make_space()
    auth.login(provider_manager)
    app.config["PHOTO_MAX_BYTES"] = 50_000
    response = upload(client, space, jpeg(exif=False) + b"\0" * 60_000)
    assert response.status_code == 400
    assert "Plik jest za duży" in response.get_data(as_text=True)
    # Past the whole request's limit the server answers 413 with a translated page.
    app.config["MAX_CONTENT_LENGTH"] = 100_000
    too_big = upload(client, space, b"\xff\xd8" + b"\0" * 200_000)
    assert too_big.status_code == 413
    assert photos_of(space) == []


def test_decompression_bomb_is_refused_without_decoding(
    app, client, auth, make_space, provider_manager
):
    space = make_space()
    auth.login(provider_manager)
    bomb = png_bomb()
    assert len(bomb) < 1000
    response = upload(client, space, bomb, name="bomba.png")
    assert response.status_code == 400
    assert "Obraz ma za dużo pikseli" in response.get_data(as_text=True)
    # Just over our own limit, below Pillow's: still refused by ours.
    app.config["PHOTO_MAX_PIXELS"] = 1_000_000
    response = upload(client, space, jpeg(1100, 1000, exif=False))
    assert response.status_code == 400 and "za dużo pikseli" in response.get_data(as_text=True)
    assert photos_of(space) == []


def test_alt_text_is_required(client, auth, make_space, provider_manager):
    space = make_space()
    auth.login(provider_manager)
    response = upload(client, space, jpeg(exif=False), alt="   ")
    assert response.status_code == 400
    assert "Opisz, co widać na zdjęciu" in response.get_data(as_text=True)
    assert photos_of(space) == []


def test_order_alt_text_and_delete(app, client, auth, make_space, provider_manager):
    space = make_space()
    auth.login(provider_manager)
    for alt in ("Pierwsze", "Drugie", "Trzecie"):
        assert upload(client, space, jpeg(400, 300, exif=False), alt=alt).status_code == 303
    first, second, third = photos_of(space)
    response = client.post(
        f"/przestrzenie/zdjecia-przestrzeni/{third.id}/przesun", data={"direction": "up"}
    )
    assert response.status_code == 303
    assert [p.alt_text for p in photos_of(space)] == ["Pierwsze", "Trzecie", "Drugie"]
    client.post(f"/przestrzenie/zdjecia-przestrzeni/{first.id}/opis", data={"alt_text": "Wejście"})
    assert photos_of(space)[0].alt_text == "Wejście"
    refused = client.post(
        f"/przestrzenie/zdjecia-przestrzeni/{first.id}/opis", data={"alt_text": ""}
    )
    assert refused.status_code == 400 and photos_of(space)[0].alt_text == "Wejście"
    folder = Path(app.config["PHOTO_UPLOAD_FOLDER"])
    files = [folder / second.filename, folder / second.thumb_filename]
    assert all(f.exists() for f in files)
    assert client.post(f"/przestrzenie/zdjecia-przestrzeni/{second.id}/usun").status_code == 303
    assert [p.alt_text for p in photos_of(space)] == ["Wejście", "Trzecie"]
    assert not any(f.exists() for f in files)


def test_only_the_providers_managers_manage_photos(
    client, auth, make_space, provider_manager, make_user, ngo_owner, organisation
):
    space = make_space()
    auth.login(provider_manager)
    upload(client, space, jpeg(400, 300, exif=False))
    [photo] = photos_of(space)
    for user in (make_user("inny@example.org"), ngo_owner):
        auth.login(user)
        assert upload(client, space, jpeg(400, 300, exif=False)).status_code == 403
        assert client.post(f"/przestrzenie/zdjecia-przestrzeni/{photo.id}/usun").status_code == 403
        assert client.get(f"/przestrzenie/sala/{space.slug}/zdjecia").status_code == 403
    assert len(photos_of(space)) == 1
