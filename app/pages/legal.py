"""What the privacy notice and the terms say about the city: the controller, its data protection
officer (IOD), the document versions and the retention periods, all from the config (Toruń's
values by default; another city sets its own, see README)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app


@dataclass(frozen=True)
class LegalFacts:
    controller_name: str
    controller_address: str
    controller_email: str
    iod_email: str
    privacy_version: str
    terms_version: str
    processors: list[str]
    personal_data_days: int
    declined_request_days: int
    outbox_days: int


def legal_facts() -> LegalFacts:
    config = current_app.config
    processors = config.get("PRIVACY_PROCESSORS") or ""
    return LegalFacts(
        controller_name=config["PRIVACY_CONTROLLER_NAME"],
        controller_address=config["PRIVACY_CONTROLLER_ADDRESS"],
        controller_email=config["PRIVACY_CONTROLLER_EMAIL"],
        iod_email=config["PRIVACY_IOD_EMAIL"],
        privacy_version=str(config["PRIVACY_NOTICE_VERSION"]),
        terms_version=str(config["TERMS_VERSION"]),
        processors=[name.strip() for name in processors.split(";") if name.strip()],
        personal_data_days=config["PERSONAL_DATA_RETENTION_DAYS"],
        declined_request_days=config["DECLINED_REQUEST_RETENTION_DAYS"],
        outbox_days=config["OUTBOX_RETENTION_DAYS"],
    )
