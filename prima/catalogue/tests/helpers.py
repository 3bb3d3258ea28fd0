"""Building blocks for catalogue tests: valid content, and a service published through the
services (written by PR staff, approved by the PR lead)."""

from __future__ import annotations

from datetime import date
from typing import Any

from prima.catalogue import services
from prima.catalogue.models import ServiceVersion
from prima.organizations.models import Office, User


def content(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": "Paspor Biasa",
        "name_en": "Ordinary passport",
        "effective_from": date(2024, 12, 17),
        "requirements": ["KTP elektronik", "Kartu Keluarga"],
        "procedure": ["Daftar di M-Paspor", "Bayar PNBP", "Wawancara dan foto"],
        "duration_value": 4,
        "duration_unit": "working_days",
        "legal_basis": "PP No. 45 Tahun 2024",
        "product": "Paspor biasa",
        "complaint_channels": ["SP4N-LAPOR!"],
        "rights": ["Pelayanan tepat waktu"],
        "obligations": ["Data yang benar"],
    }
    values.update(overrides)
    return values


def fees(*amounts: int) -> list[dict[str, Any]]:
    amounts = amounts or (350_000, 650_000)
    return [
        {"code": f"fee-{i}", "label": f"Tarif {i}", "amount": amount}
        for i, amount in enumerate(amounts, 1)
    ]


def published_service(
    writer: User,
    approver: User,
    office: Office,
    *,
    code: str = "paspor-biasa",
    amounts: tuple[int, ...] = (350_000, 650_000),
    **overrides: Any,
) -> ServiceVersion:
    version = services.create_service(
        writer, office, code=code, category="passport", content=content(**overrides),
        fees=fees(*amounts),
    )  # fmt: skip
    services.submit(writer, version)
    return services.publish(approver, version)


def new_version(
    writer: User, approver: User | None, version: ServiceVersion, **overrides: Any
) -> ServiceVersion:
    """A next version with ``overrides`` (``amounts=`` for the fees), published by
    ``approver`` (left submitted when None)."""
    amounts = overrides.pop("amounts", None)
    draft = services.start_draft(writer, version.service)
    values, fee_rows = services.version_content(draft)
    values.update(overrides)
    draft = services.update_draft(
        writer, draft, content=values, fees=fees(*amounts) if amounts else fee_rows
    )
    draft = services.submit(writer, draft)
    return services.publish(approver, draft) if approver else draft
