"""Demo photos, addresses, practical details and a fee room with its use and a free-of-charge
request. Called by ``app.spaces.demo.load``; idempotent (a space with photos or details keeps
them; the fee room's bookings are added once).

The photos are drawn here with Pillow (no image files in the repository) and go through the
same path as an upload (``photos.add_photo``: re-encoded, thumbnail, stored in the upload
folder). They are illustrations, and their alt text says so.

Addresses are the places' real public street addresses where we could confirm them: CAL
2.Piętro at ul. Marii Konopnickiej 13 (opened there in November 2018, as Polish Radio PiK
reported); SP 7 in the building on ul. Gustawa Morcinka and SP 24 on ul. Ogrodowa (local press).
The schools' house numbers are not in the seed documents or PRODUCT.md and could not be checked
here (no network), so the address says the number is unconfirmed rather than inventing one; the
places with no confirmed street at all (ZGM's premises, TAK's store, SP 15, the NGO's club) say
so too (``UNCONFIRMED``). Confirm them with the providers before a real launch.
"""

from __future__ import annotations

import functools
from datetime import time, timedelta
from decimal import Decimal

import sqlalchemy as sa
from PIL import Image, ImageDraw

from app.extensions import db
from app.spaces.details_models import FeeWaiver, SpaceDetails, SpacePhoto
from app.spaces.models import (
    Booking,
    BookingSeries,
    BookingStatus,
    BookingStatusChange,
    Recurrence,
    Space,
    SpaceKind,
)
from app.spaces.service import photos, slot_for, term_of
from app.timeutil import local_today

ADDRESSES = {
    "cal-2-pietro": "ul. Marii Konopnickiej 13, 87-100 Toruń",
    "szkola-podstawowa-nr-7": "ul. Gustawa Morcinka (numer budynku niepotwierdzony), 87-100 Toruń",
    "szkola-podstawowa-nr-24": "ul. Ogrodowa (numer budynku niepotwierdzony), 87-100 Toruń",
}
UNCONFIRMED = "Toruń (adres niepotwierdzony – dane demonstracyjne)"
# What earlier demo loads wrote: replaced by the above when the demo is loaded again.
EARLIER = {"", "Toruń", "ul. Gustawa Morcinka, 87-100 Toruń", "ul. Ogrodowa, 87-100 Toruń"}

CAL_DETAILS = {
    "directions": "Wejście od ulicy, winda na 2. piętro obok klatki schodowej. "
    "Najbliższy przystanek tramwajowy: Plac Rapackiego (ok. 5 minut pieszo).",
    "contact_name": "Recepcja CAL 2.Piętro",
    "contact_phone": "56 000 00 00",
    "contact_email": "cal@example.org",
    "day_contact": "Dyżurny CAL, recepcja na 2. piętrze (do 21:00)",
    "access_instructions": "Klucz do sali odbierz w recepcji na 2. piętrze po podaniu nazwy "
    "organizacji. Po 18:00 drzwi wejściowe otwiera dyżurny – zadzwoń domofonem „CAL”. "
    "Wychodząc, oddaj klucz i zgaś światło; alarm włącza dyżurny.",
    "accessible_entrance": "Wejście główne bez progu, drzwi automatyczne; winda 110 × 140 cm.",
    "door_width_cm": 90,
    "accessible_toilet": "Na 2. piętrze, na końcu korytarza po lewej, z uchwytami.",
}
SCHOOL_DETAILS = {
    "directions": "Wejście od boiska (furtka od strony parkingu), portiernia po prawej.",
    "contact_name": "Sekretariat szkoły",
    "contact_phone": "56 000 00 01",
    "day_contact": "Woźny, portiernia przy wejściu od boiska",
    "access_instructions": "Woźny otwiera salę 15 minut przed rezerwacją i zamyka po niej. "
    "Wejście tylko od boiska; drzwi główne są po 16:00 zamknięte. Nie wchodź do innych sal.",
    "accessible_entrance": "Wejście od boiska po pochylni.",
    "door_width_cm": 85,
    "accessible_toilet": "Na parterze przy sali gimnastycznej.",
}

FEE_ROOM = "zgm-sala-szkoleniowa"

# (colour of the walls, of the floor, what the room holds) per kind of room, for drawing.
_PALETTE = [
    ((226, 232, 240), (180, 140, 100)),
    ((240, 230, 214), (150, 115, 85)),
    ((220, 236, 226), (160, 160, 160)),
    ((236, 226, 240), (120, 100, 90)),
]


@functools.cache
def _picture(equipment: bool, variant: int, palette: int) -> photos.Processed:
    """A simple picture of a room (walls, windows, floor and what it holds) or of equipment,
    checked and re-encoded once per process (a demo load stores it for many spaces)."""
    wall, floor = _PALETTE[palette]
    image = Image.new("RGB", (480, 300), wall)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 204, 480, 300], fill=floor)
    if equipment:
        for index in range(4):
            x = 48 + index * 102
            draw.rectangle([x, 120, x + 72, 204], fill=(70, 80, 95), outline=(40, 40, 40))
            draw.rectangle([x + 9, 129, x + 63, 153], fill=(200, 200, 210))
    else:
        for index in range(3):
            x = 54 + index * 144
            draw.rectangle([x, 36, x + 90, 138], fill=(190, 220, 245), outline="white", width=4)
        if variant == 0:
            for row in range(3):
                for seat in range(8):
                    x, y = 42 + seat * 51, 216 + row * 27
                    draw.rectangle([x, y, x + 24, y + 17], fill=(60, 90, 150))
        else:
            for table in range(2):
                x = 84 + table * 180
                draw.rectangle([x, 228, x + 132, 252], fill=(120, 80, 50))
    return photos.process_generated(image)


def _alt_text(space: Space, variant: int) -> str:
    if space.kind == SpaceKind.EQUIPMENT:
        return f"Ilustracja: {space.name} w magazynie, kilka sztuk na podłodze."
    if variant == 0:
        return f"Ilustracja: {space.name} – rzędy krzeseł, trzy duże okna."
    return f"Ilustracja: {space.name} – stoły do pracy w grupach, jasne ściany."


def load(spaces: dict[str, Space], users: dict, organisations: dict) -> None:
    for space in spaces.values():
        provider_slug = space.provider.slug
        if space.address in EARLIER:
            space.address = ADDRESSES.get(provider_slug, UNCONFIRMED)
        if not db.session.scalar(
            sa.select(SpacePhoto.id).where(SpacePhoto.space_id == space.id).limit(1)
        ):
            equipment = space.kind == SpaceKind.EQUIPMENT
            for variant in range(1 if equipment else 2):
                palette = (len(space.slug) + variant) % len(_PALETTE)
                picture = _picture(equipment, variant, palette)
                photos.add_processed(space, picture, _alt_text(space, variant))
        if db.session.scalar(sa.select(SpaceDetails.id).where(SpaceDetails.space_id == space.id)):
            continue
        details = None
        if provider_slug == "cal-2-pietro":
            details = SpaceDetails(space_id=space.id, **CAL_DETAILS)
        elif space.provider.kind.value == "school":
            details = SpaceDetails(space_id=space.id, **SCHOOL_DETAILS)
        elif space.slug == FEE_ROOM:
            details = SpaceDetails(
                space_id=space.id,
                directions="Parter, wejście od podwórza.",
                contact_name="Dział najmu ZGM",
                contact_phone="56 000 00 02",
                day_contact="Administrator budynku",
                access_instructions="Klucz w administracji budynku (pokój 3), w godzinach "
                "8–15; poza nimi w skrytce przy drzwiach, kod podamy SMS-em w dniu rezerwacji.",
                fee_normal_half_day=Decimal("200"),
                fee_ngo_half_day=Decimal("60"),
                fee_normal_day=Decimal("350"),
                fee_ngo_day=Decimal("100"),
            )
        elif space.kind == SpaceKind.EQUIPMENT and space.fee_normal is not None:
            # TAK lends per piece and day: the day price is the listed one.
            details = SpaceDetails(
                space_id=space.id, fee_normal_day=space.fee_normal, fee_ngo_day=space.fee_ngo
            )
        if details is not None:
            db.session.add(details)
    db.session.flush()
    _fee_room_use(spaces, users, organisations)


def _fee_room_use(spaces, users, organisations) -> None:
    """Last month's use of the fee room (for the settlement) and an upcoming booking with a
    request to use it free of charge."""
    room = spaces.get(FEE_ROOM)
    if room is None or db.session.scalar(
        sa.select(BookingSeries.id).where(BookingSeries.space_id == room.id).limit(1)
    ):
        return
    senior = organisations["fundacja-razem-dla-seniora"]
    young = organisations["fundacja-mlodzi-na-skarpie"]
    today = local_today()
    first_of_last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    tuesday = first_of_last_month + timedelta(days=(1 - first_of_last_month.weekday()) % 7)

    def series(organisation, user, purpose, day, start, end, count, status):
        row = BookingSeries(
            space=room,
            organisation=organisation,
            requested_by=user,
            purpose=purpose,
            people=15,
            recurrence=Recurrence.WEEKLY if count > 1 else Recurrence.ONCE,
            first_day=day,
            count=count if count > 1 else None,
            start_time=start,
            end_time=end,
            confirmed_term=term_of(day),
        )
        for index in range(count):
            starts_at, ends_at = slot_for(day + timedelta(weeks=index), start, end)
            booking = Booking.for_slot(room, starts_at, ends_at, status, series=row)
            booking.history.append(BookingStatusChange(to_status=BookingStatus.PENDING))
            if status != BookingStatus.PENDING:
                booking.history.append(
                    BookingStatusChange(from_status=BookingStatus.PENDING, to_status=status)
                )
            row.occurrences.append(booking)
        db.session.add(row)
        return row

    series(
        senior,
        users["ngo_owner"],
        "Szkolenie wolontariuszy",
        tuesday,
        time(9),
        time(15),
        3,
        BookingStatus.APPROVED,
    )
    series(
        young,
        users["ngo_owner2"],
        "Warsztaty dla rodziców",
        tuesday + timedelta(days=2),
        time(17),
        time(20),
        1,
        BookingStatus.APPROVED,
    )
    upcoming = series(
        young,
        users["ngo_owner2"],
        "Spotkanie informacyjne o projekcie",
        today + timedelta(days=14),
        time(17),
        time(19),
        1,
        BookingStatus.PENDING,
    )
    db.session.flush()
    db.session.add(
        FeeWaiver(
            series_id=upcoming.id,
            reason="Spotkanie jest otwarte i bezpłatne dla mieszkańców, finansujemy je z darowizn.",
        )
    )
