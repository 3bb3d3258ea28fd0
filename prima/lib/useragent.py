"""A browser's User-Agent header in words a person recognises: "Chrome · Android"."""

from __future__ import annotations

# Order matters: Edge and Opera also say "Chrome", Chrome also says "Safari".
BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("SamsungBrowser/", "Samsung Internet"),
    ("Firefox/", "Firefox"),
    ("FxiOS/", "Firefox"),
    ("CriOS/", "Chrome"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
    ("curl/", "curl"),
    ("python-requests/", "Python"),
)
SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def describe(user_agent: str | None) -> str:
    """ "Chrome · Android", "Firefox · Windows", the browser or the system alone when only
    one is known, and "" when neither is (the caller shows the raw header or a dash)."""
    ua = user_agent or ""
    browser = next((name for token, name in BROWSERS if token in ua), "")
    system = next((name for token, name in SYSTEMS if token in ua), "")
    return " · ".join(part for part in (browser, system) if part)
