"""A4 posters for the service counters: the official fees, the completion time, the
statement that nothing else is due, and a QR code to the service's public page.

Rendered with WeasyPrint from ``portal/poster.html``; the QR code is made by ``segno``
(an SVG embedded as a data URI, so nothing is fetched while rendering).
"""

from __future__ import annotations

import base64
import io

import segno
from django.template.loader import render_to_string
from django.utils import translation

from prima.catalogue.models import ServiceVersion
from prima.organizations.models import Office


def qr_svg_data_uri(url: str) -> str:
    """A QR code for ``url`` (error correction M) as an SVG data URI."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="svg", scale=8, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def poster_html(office: Office, version: ServiceVersion, url: str, *, lang: str = "id") -> str:
    """The poster's HTML (A4 page size in its CSS)."""
    with translation.override(lang):
        return render_to_string(
            "portal/poster.html",
            {
                "office": office,
                "version": version,
                "url": url,
                "qr": qr_svg_data_uri(url),
                "lang": lang,
                "tz": office.timezone,
            },
        )


def service_poster(office: Office, version: ServiceVersion, url: str, *, lang: str = "id") -> bytes:
    """The poster of ``version`` as PDF bytes (about half a second of CPU)."""
    # Imported here: loading Pango costs ~0.3 s at start-up.
    from weasyprint import HTML

    pdf = HTML(string=poster_html(office, version, url, lang=lang)).write_pdf()
    return bytes(pdf or b"")
