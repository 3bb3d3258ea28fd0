"""Shared test fixtures: the offices of the demo tree and named personas.

- ``pr_staff`` (Rina) and ``pr_staff2`` (Dimas): PR staff at Soekarno-Hatta;
- ``pr_lead`` (Andi): Kepala Seksi TIKIM at Soekarno-Hatta;
- ``spokesperson`` (Sri): official spokesperson at Soekarno-Hatta;
- ``head`` (Budi): head of the Soekarno-Hatta office;
- ``regional_supervisor`` (Maya): supervisor at Kanwil DK Jakarta (reads its sub-tree);
- ``dg_supervisor`` (Hendra): supervisor at the directorate general;
- ``administrator``: administrator at the directorate general;
- ``outsider`` (Yusuf): PR staff at Kanim Jakarta Pusat — must see nothing of Soekarno-Hatta.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from prima.organizations import policy
from prima.organizations.models import Membership, Office, OfficeLevel, Role, User

PASSWORD = settings.DEMO_PASSWORD


@pytest.fixture
def offices(db) -> dict[str, Office]:
    dg = Office.objects.create(
        code="ditjen",
        name="Direktorat Jenderal Imigrasi",
        short_name="Ditjen",
        level=OfficeLevel.DIRECTORATE_GENERAL,
    )
    kanwil = Office.objects.create(
        code="kanwil-dki",
        name="Kanwil DK Jakarta",
        short_name="Kanwil DKI",
        level=OfficeLevel.REGIONAL_OFFICE,
        parent=dg,
    )
    soetta = Office.objects.create(
        code="soetta",
        name="Kantor Imigrasi Kelas I Khusus TPI Soekarno-Hatta",
        short_name="Kanim Soetta",
        level=OfficeLevel.OFFICE,
        parent=kanwil,
    )
    jakpus = Office.objects.create(
        code="jakpus",
        name="Kantor Imigrasi Kelas I Jakarta Pusat",
        short_name="Kanim Jakpus",
        level=OfficeLevel.OFFICE,
        parent=kanwil,
    )
    kanwil_bali = Office.objects.create(
        code="kanwil-bali",
        name="Kanwil Bali",
        short_name="Kanwil Bali",
        level=OfficeLevel.REGIONAL_OFFICE,
        parent=dg,
        timezone="Asia/Makassar",
    )
    return {
        "dg": dg,
        "kanwil": kanwil,
        "soetta": soetta,
        "jakpus": jakpus,
        "kanwil_bali": kanwil_bali,
    }


def make_person(username: str, office: Office, *roles: Role, full_name: str = "") -> User:
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        office=office,
        full_name=full_name or username.title(),
        is_staff=bool(set(roles) & set(policy.roles_with("adminsite.access"))),
    )
    for role in roles:
        Membership.objects.create(user=user, office=office, role=role)
    return user


@pytest.fixture
def pr_staff(offices) -> User:
    return make_person("rina", offices["soetta"], Role.PR_STAFF, full_name="Rina Wulandari")


@pytest.fixture
def pr_staff2(offices) -> User:
    return make_person("dimas", offices["soetta"], Role.PR_STAFF, full_name="Dimas Prasetyo")


@pytest.fixture
def pr_lead(offices) -> User:
    return make_person("andi", offices["soetta"], Role.PR_LEAD, full_name="Andi Saputra")


@pytest.fixture
def spokesperson(offices) -> User:
    return make_person("sri", offices["soetta"], Role.SPOKESPERSON, full_name="Sri Handayani")


@pytest.fixture
def head(offices) -> User:
    return make_person("budi", offices["soetta"], Role.HEAD, full_name="Budi Santoso")


@pytest.fixture
def regional_supervisor(offices) -> User:
    return make_person("maya", offices["kanwil"], Role.SUPERVISOR, full_name="Maya Kusuma")


@pytest.fixture
def dg_supervisor(offices) -> User:
    return make_person("hendra", offices["dg"], Role.SUPERVISOR, full_name="Hendra Wijaya")


@pytest.fixture
def administrator(offices) -> User:
    return make_person("admin", offices["dg"], Role.ADMIN, full_name="Admin PRIMA")


@pytest.fixture
def outsider(offices) -> User:
    return make_person("yusuf", offices["jakpus"], Role.PR_STAFF, full_name="Yusuf Maulana")


@pytest.fixture
def personas(
    pr_staff,
    pr_staff2,
    pr_lead,
    spokesperson,
    head,
    regional_supervisor,
    dg_supervisor,
    administrator,
    outsider,
) -> dict[str, User]:
    return {
        "pr_staff": pr_staff,
        "pr_staff2": pr_staff2,
        "pr_lead": pr_lead,
        "spokesperson": spokesperson,
        "head": head,
        "regional_supervisor": regional_supervisor,
        "dg_supervisor": dg_supervisor,
        "administrator": administrator,
        "outsider": outsider,
    }


def client_for(user: User | None, language: str | None = None) -> Client:
    """A test client logged in as ``user`` (anonymous for None), optionally with the
    language chosen (as /i18n/setlang/ would: PRIMA ignores Accept-Language)."""
    client = Client()
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if user is not None:
        client.force_login(user)
    return client


# --- Browser tests ------------------------------------------------------------------
# Playwright for Python driving Debian's Chromium (never `playwright install`). Tests that
# use these fixtures are marked ``browser``; screenshots go to test-artifacts/screenshots/.

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]
SCREENSHOT_DIR = settings.BASE_DIR / "test-artifacts" / "screenshots"


@pytest.fixture(scope="session")
def browser():
    import os

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (make test does)")
    # Playwright's sync API runs an event loop; Django's async-safety check would refuse
    # ORM calls from the test thread while it runs.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        locale="id-ID",
        timezone_id="Asia/Jakarta",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(15000)
    pg = context.new_page()
    yield pg
    context.close()


def totp_code(user: User) -> str:
    """The next code of ``user``'s authenticator app that PRIMA will accept (a code is
    accepted once, one 30-second step either side of now: up to three log-ins or
    confirmations per half-minute)."""
    import time

    import pyotp

    from prima.organizations.models import TwoFactorDevice

    device = TwoFactorDevice.objects.get(user=user)
    now_step = int(time.time() // 30)
    step = max(now_step - 1, device.last_step + 1)
    if step > now_step + 1:
        time.sleep(30)
        return totp_code(user)
    return pyotp.TOTP(device.secret).at(step * 30)


def ensure_second_factor(user: User) -> None:
    """Enrol ``user`` with a fresh authenticator secret when their role requires two-step
    verification and they have none (as the demo does for its personas)."""
    import time

    import pyotp

    from prima.organizations import twofactor

    if twofactor.is_required(user) and not twofactor.has_device(user):
        secret = twofactor.new_secret()
        twofactor.enrol(user, secret, pyotp.TOTP(secret).at(time.time() - 30))


def browser_login(page, user: User, password: str = PASSWORD) -> None:
    """Log in through the real form, with the second step when the person has (or their
    role requires) two-step verification."""
    ensure_second_factor(user)
    page.goto("/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.press("#id_password", "Enter")
    page.wait_for_url(lambda url: not url.split("?")[0].endswith("/accounts/login/"))
    if "/accounts/login/code/" in page.url:
        page.fill("#id_code", totp_code(user))
        page.press("#id_code", "Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def screenshot(page, name: str) -> None:
    """Save a full-page screenshot as a CI artefact (test-artifacts/screenshots/NAME.png)."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"), full_page=True)


# --- Added with the foundation test suite -------------------------------------------


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    """Tests hash passwords with MD5: PBKDF2 costs ~0.3 s per persona and per log-in."""
    from django.test.utils import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _empty_caches():
    """Every test starts with empty caches: answers kept by :mod:`prima.lib.shortcache` or
    in Django's cache (keyed by row ids, which a rolled-back test hands out again) never
    cross tests."""
    from django.core.cache import cache

    from prima.lib import shortcache

    cache.clear()
    shortcache.clear()


@pytest.fixture
def bali_supervisor(offices) -> User:
    """Supervisor at Kanwil Bali: must see nothing of the Jakarta offices."""
    return make_person("ketut", offices["kanwil_bali"], Role.SUPERVISOR, full_name="Ketut Ardana")
