"""Demo data: offices and one person per role. Other apps register their own loaders.

Refused when DEBUG is off: demo passwords are public (see README).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import pyotp
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction

from . import accounts, audit, policy, twofactor
from .models import Membership, Office, OfficeLevel, Role, TimeZoneChoice, User

Loader = Callable[[Callable[[str], None]], None]
_loaders: list[tuple[int, str, Loader]] = []


def register(order: int, name: str) -> Callable[[Loader], Loader]:
    """Register a demo loader; loaders run by ``order`` (organizations is 0)."""

    def decorator(func: Loader) -> Loader:
        if all(existing is not func for _o, _n, existing in _loaders):
            _loaders.append((order, name, func))
        return func

    return decorator


@dataclass(frozen=True)
class DemoPerson:
    username: str
    full_name: str
    title: str
    office_code: str
    roles: tuple[Role, ...]


OFFICES = [
    # code, name, short name, level, parent code, tz, city
    (
        "ditjen-imigrasi",
        "Direktorat Jenderal Imigrasi",
        "Ditjen Imigrasi",
        OfficeLevel.DIRECTORATE_GENERAL,
        None,
        TimeZoneChoice.WIB,
        "Jakarta Selatan",
    ),
    (
        "kanwil-dki-jakarta",
        "Kantor Wilayah Direktorat Jenderal Imigrasi Daerah Khusus Jakarta",
        "Kanwil DK Jakarta",
        OfficeLevel.REGIONAL_OFFICE,
        "ditjen-imigrasi",
        TimeZoneChoice.WIB,
        "Jakarta",
    ),
    (
        "kanim-soekarno-hatta",
        "Kantor Imigrasi Kelas I Khusus TPI Soekarno-Hatta",
        "Kanim Soekarno-Hatta",
        OfficeLevel.OFFICE,
        "kanwil-dki-jakarta",
        TimeZoneChoice.WIB,
        "Tangerang",
    ),
    (
        "kanim-jakarta-pusat",
        "Kantor Imigrasi Kelas I Non TPI Jakarta Pusat",
        "Kanim Jakarta Pusat",
        OfficeLevel.OFFICE,
        "kanwil-dki-jakarta",
        TimeZoneChoice.WIB,
        "Jakarta Pusat",
    ),
    (
        "kanwil-bali",
        "Kantor Wilayah Direktorat Jenderal Imigrasi Bali",
        "Kanwil Bali",
        OfficeLevel.REGIONAL_OFFICE,
        "ditjen-imigrasi",
        TimeZoneChoice.WITA,
        "Denpasar",
    ),
    (
        "kanim-ngurah-rai",
        "Kantor Imigrasi Kelas I Khusus TPI Ngurah Rai",
        "Kanim Ngurah Rai",
        OfficeLevel.OFFICE,
        "kanwil-bali",
        TimeZoneChoice.WITA,
        "Badung",
    ),
]

SOETTA = "kanim-soekarno-hatta"
PEOPLE = [
    DemoPerson("humas", "Rina Wulandari", "Pranata Humas", SOETTA, (Role.PR_STAFF,)),
    DemoPerson("humas2", "Dimas Prasetyo", "Pranata Humas", SOETTA, (Role.PR_STAFF,)),
    DemoPerson("kasihumas", "Andi Saputra", "Kepala Seksi TIKIM", SOETTA, (Role.PR_LEAD,)),
    DemoPerson(
        "jubir",
        "Sri Handayani",
        "Kepala Bidang Lalu Lintas Keimigrasian",
        SOETTA,
        (Role.SPOKESPERSON,),
    ),
    DemoPerson("kakanim", "Budi Santoso", "Kepala Kantor", SOETTA, (Role.HEAD,)),
    DemoPerson(
        "kanwil",
        "Maya Kusuma",
        "Kepala Bidang Informasi dan Komunikasi Kanwil",
        "kanwil-dki-jakarta",
        (Role.SUPERVISOR,),
    ),
    DemoPerson(
        "ditjen",
        "Hendra Wijaya",
        "Koordinator Fungsi Komunikasi Publik",
        "ditjen-imigrasi",
        (Role.SUPERVISOR,),
    ),
    DemoPerson("admin", "Admin PRIMA", "Administrator Sistem", "ditjen-imigrasi", (Role.ADMIN,)),
    DemoPerson(
        "humas.jakpus", "Yusuf Maulana", "Pranata Humas", "kanim-jakarta-pusat", (Role.PR_STAFF,)
    ),
    DemoPerson("humas.bali", "Ketut Ardana", "Pranata Humas", "kanim-ngurah-rai", (Role.PR_STAFF,)),
]


def _ensure_debug() -> None:
    if not settings.DEBUG:
        raise ImproperlyConfigured(
            "Demo data has public passwords and is refused when PRIMA_DEBUG is off."
        )


# The authenticator key of the demo personas whose role requires two-step verification
# (README, demo log-ins). Public: demo data is refused when DEBUG is off.
DEMO_TOTP_SECRET = "PRIMADEMOKODEDUALANGKAHJANGANDIP"  # noqa: S105 - public demo key


def _enrol_demo_factor(user: User) -> None:
    """Enrol ``user`` with :data:`DEMO_TOTP_SECRET` when their role requires a second
    factor and they have none (the code of the previous 30 seconds confirms it, so the
    current one still signs in)."""
    if twofactor.is_required(user) and not twofactor.has_device(user):
        code = pyotp.TOTP(DEMO_TOTP_SECRET).at(time.time() - twofactor.STEP_SECONDS)
        twofactor.enrol(user, DEMO_TOTP_SECRET, code)


@register(0, "offices and people")
def load_organizations(say: Callable[[str], None]) -> None:
    with transaction.atomic():
        offices: dict[str, Office] = {}
        for code, name, short, level, parent, tz, city in OFFICES:
            office = Office.objects.filter(code=code).first()
            if office is None:
                office = Office(
                    code=code,
                    name=name,
                    short_name=short,
                    level=level,
                    parent=offices.get(parent) if parent else None,
                    timezone=tz,
                    city=city,
                )
                office.full_clean()
                office.save()
                audit.log(None, "office.create", office, after=audit.snapshot(office))
            offices[code] = office
        for person in PEOPLE:
            user = User.objects.filter(username=person.username).first()
            if user is None:
                user = User(
                    username=person.username,
                    full_name=person.full_name,
                    title=person.title,
                    office=offices[person.office_code],
                    email=f"{person.username}@demo.imigrasi.go.id",
                    # A staff account for those the policy lets into the admin site.
                    is_staff=bool(set(person.roles) & set(policy.roles_with("adminsite.access"))),
                )
                user.set_password(settings.DEMO_PASSWORD)
                user.save()
                audit.log(None, "user.create", user, after=audit.snapshot(user))
            for role in person.roles:
                membership, created = Membership.objects.get_or_create(
                    user=user, office=offices[person.office_code], role=role
                )
                if created:
                    audit.log(
                        None, "membership.create", membership, after=audit.snapshot(membership)
                    )
            _enrol_demo_factor(user)
    say(f"  {len(OFFICES)} offices, {len(PEOPLE)} people")


def load_all(say: Callable[[str], None]) -> None:
    """Run every registered loader in order. Refused when DEBUG is off."""
    _ensure_debug()
    for _order, name, loader in sorted(_loaders, key=lambda item: item[0]):
        say(f"Loading demo {name}…")
        loader(say)
        refresh_planner_statistics()


def refresh_planner_statistics() -> None:
    """On PostgreSQL, ``ANALYZE`` the database after a bulk load (about a second).

    The planner chooses its joins from column statistics. Statistics gathered while the
    tables were nearly empty (autovacuum after a test emptied them, or a fresh install)
    make it estimate that a 5-minute range of mentions holds no rows, and the crisis
    replay's per-bucket counts of watch-list matches become nested loops over every
    mention: about a second a query instead of milliseconds. SQLite needs nothing here.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


@register(1, "account lifecycle")
def load_accounts(say: Callable[[str], None]) -> None:
    """A former PR officer deactivated by the administrator (roles and history kept) and an
    open invitation, both through the lifecycle functions (audited, the e-mail written to
    the demo's mail folder)."""
    admin = User.objects.get(username="admin")
    soetta = Office.objects.get(code=SOETTA)
    former = User.objects.filter(username="humas.lama").first()
    if former is None:
        with transaction.atomic():
            former = User(
                username="humas.lama",
                full_name="Agus Salim",
                title="Pranata Humas",
                office=soetta,
                email="humas.lama@demo.imigrasi.go.id",
                phone="081298765432",
            )
            former.set_password(settings.DEMO_PASSWORD)
            former.save()
            audit.log(admin, "user.create", former, after=audit.snapshot(former))
            membership = Membership.objects.create(user=former, office=soetta, role=Role.PR_STAFF)
            audit.log(admin, "membership.create", membership, after=audit.snapshot(membership))
        accounts.deactivate(admin, former, reason="Pindah tugas ke Kanim Tangerang")
    if not accounts.pending_invitations(admin).exists():
        accounts.invite(
            admin,
            email="dewi.lestari@demo.imigrasi.go.id",
            office=soetta,
            role=Role.PR_STAFF,
            full_name="Dewi Lestari",
        )
    say("  1 deactivated account, 1 open invitation")
