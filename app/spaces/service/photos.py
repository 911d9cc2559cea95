"""Photos of a space: an upload is checked (type, size, pixel count), re-encoded as a JPEG at
most ``PHOTO_MAX_SIDE`` px on its longer side plus a thumbnail, with every piece of metadata
(EXIF with its GPS position, ICC, comments) left behind, and stored under the upload folder.

Decoding untrusted images is the risk: the type is read from the content (never the name or
the browser's content type), only JPEG, PNG and WebP are opened, and the pixel count in the
header is checked before any pixel is decoded, so a small file that would expand to gigabytes
(a decompression bomb) is refused without being decoded.
"""

from __future__ import annotations

import io
import secrets
import warnings
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import format_decimal
from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from app.db import after_commit
from app.domain import DomainError
from app.extensions import db
from app.spaces.details_models import SpacePhoto
from app.spaces.models import Space

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_PIXELS = 40_000_000  # a 40-megapixel camera; far above any room photo we need
PHOTO_MAX_SIDE = 1600
THUMB_MAX_SIDE = 480
MAX_PHOTOS = 12


def upload_folder() -> Path:
    """``PHOTO_UPLOAD_FOLDER`` (an absolute path), by default ``instance/uploads/spaces``."""
    configured = current_app.config.get("PHOTO_UPLOAD_FOLDER")
    folder = (
        Path(configured) if configured else Path(current_app.instance_path) / "uploads" / "spaces"
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@dataclass
class Processed:
    photo: bytes
    thumb: bytes
    width: int
    height: int


def _encode(image: Image.Image, side: int) -> tuple[bytes, tuple[int, int]]:
    copy = image.copy()
    copy.thumbnail((side, side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # No exif=, icc_profile= or comment: the new file carries pixels only.
    copy.save(out, "JPEG", quality=85, optimize=True, progressive=True)
    return out.getvalue(), copy.size


def process_image(data: bytes) -> Processed:
    """The re-encoded photo and thumbnail, or a ``DomainError`` (422, field ``photo``) that
    says what is wrong with the file."""
    max_bytes = current_app.config.get("PHOTO_MAX_BYTES", DEFAULT_MAX_BYTES)
    max_pixels = current_app.config.get("PHOTO_MAX_PIXELS", DEFAULT_MAX_PIXELS)
    if not data:
        raise DomainError(_("Wybierz plik ze zdjęciem."), status=422, field="photo")
    if len(data) > max_bytes:
        raise DomainError(
            _(
                "Plik jest za duży (%(size)s MB). Największy dopuszczalny to %(max)s MB.",
                size=format_decimal(len(data) / 1024 / 1024, "0.0"),
                max=format_decimal(max_bytes / 1024 / 1024, "0.#"),
            ),
            status=422,
            field="photo",
        )
    wrong_type = DomainError(
        _("To nie jest zdjęcie w formacie JPEG, PNG ani WebP."), status=422, field="photo"
    )
    bomb = DomainError(
        _(
            "Obraz ma za dużo pikseli (najwyżej %(max)s mln). Zmniejsz go i wyślij ponownie.",
            max=max_pixels // 1_000_000,
        ),
        status=422,
        field="photo",
    )
    with warnings.catch_warnings():
        # Pillow's own bomb check warns first and raises at twice its limit: both are refusals.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
            width, height = image.size  # read from the header: nothing decoded yet
            if width * height > max_pixels:
                raise bomb
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise bomb from None
        except DomainError:
            raise
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise wrong_type from None
        image = ImageOps.exif_transpose(image).convert("RGB")  # turned as the camera meant
    # A new image from the pixels alone: Pillow carries ``info`` (EXIF, comment, ICC) of a
    # decoded image into what it saves, so nothing of the upload's is left to carry.
    image = Image.frombytes("RGB", image.size, image.tobytes())
    photo, (width, height) = _encode(image, PHOTO_MAX_SIDE)
    thumb, _size = _encode(image, THUMB_MAX_SIDE)
    return Processed(photo=photo, thumb=thumb, width=width, height=height)


def photos_of(space: Space) -> list[SpacePhoto]:
    return list(
        db.session.scalars(
            sa.select(SpacePhoto)
            .where(SpacePhoto.space_id == space.id)
            .order_by(SpacePhoto.position, SpacePhoto.id)
        )
    )


def first_photos(space_ids: list[int]) -> dict[int, SpacePhoto]:
    """The first photo of each space (catalogue cards): one query for the whole page."""
    if not space_ids:
        return {}
    found: dict[int, SpacePhoto] = {}
    rows = db.session.scalars(
        sa.select(SpacePhoto)
        .where(SpacePhoto.space_id.in_(space_ids))
        .order_by(SpacePhoto.space_id, SpacePhoto.position, SpacePhoto.id)
    )
    for photo in rows:
        found.setdefault(photo.space_id, photo)
    return found


def _lock(space: Space) -> None:
    from app.spaces.service.bookings import lock_space

    lock_space(space.id)


def add_photo(space: Space, data: bytes, alt_text: str) -> SpacePhoto:
    alt_text = " ".join((alt_text or "").split())
    if not alt_text:
        raise DomainError(
            _("Opisz, co widać na zdjęciu (tekst alternatywny dla osób niewidomych)."),
            status=422,
            field="alt_text",
        )
    return add_processed(space, process_image(data), alt_text)


def add_processed(space: Space, processed: Processed, alt_text: str) -> SpacePhoto:
    """Store an already checked and re-encoded photo (``process_image``) as the last one."""
    _lock(space)  # positions are numbered under the space's lock
    existing = photos_of(space)
    if len(existing) >= MAX_PHOTOS:
        raise DomainError(
            _("Przestrzeń ma już %(num)d zdjęć – usuń któreś, zanim dodasz nowe.", num=MAX_PHOTOS),
            status=409,
            field="photo",
        )
    photo = SpacePhoto(
        space_id=space.id,
        token=secrets.token_urlsafe(24),
        alt_text=alt_text[:300],
        position=(max((p.position for p in existing), default=-1) + 1),
        width=processed.width,
        height=processed.height,
    )
    folder = upload_folder()
    (folder / photo.filename).write_bytes(processed.photo)
    (folder / photo.thumb_filename).write_bytes(processed.thumb)
    db.session.add(photo)
    db.session.flush()
    return photo


def delete_photo(photo: SpacePhoto) -> None:
    folder = upload_folder()
    names = (photo.filename, photo.thumb_filename)
    db.session.delete(photo)
    db.session.flush()

    def remove_files() -> None:
        for name in names:
            (folder / name).unlink(missing_ok=True)

    # The files go only when the row is gone for good (a rolled-back delete keeps both).
    after_commit(db.session, remove_files)


def move_photo(photo: SpacePhoto, direction: int) -> None:
    """Swap the photo with its neighbour (``direction`` -1: earlier, +1: later)."""
    _lock(photo.space)
    photos = photos_of(photo.space)
    index = next(i for i, p in enumerate(photos) if p.id == photo.id)
    other = index + direction
    if not 0 <= other < len(photos):
        return
    a, b = photos[index], photos[other]
    # Through a free position, so the unique (space, position) holds at every step.
    pa, pb = a.position, b.position
    a.position = -1 - a.id
    db.session.flush()
    b.position = pa
    db.session.flush()
    a.position = pb
    db.session.flush()


def update_alt_text(photo: SpacePhoto, alt_text: str) -> None:
    alt_text = " ".join((alt_text or "").split())
    if not alt_text:
        raise DomainError(
            _("Opisz, co widać na zdjęciu (tekst alternatywny dla osób niewidomych)."),
            status=422,
            field="alt_text",
        )
    photo.alt_text = alt_text[:300]
    db.session.flush()


def process_generated(image: Image.Image) -> Processed:
    """A picture made by code (demo data) through the same checks and re-encoding as an
    upload."""
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return process_image(out.getvalue())
