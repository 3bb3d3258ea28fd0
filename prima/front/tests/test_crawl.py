"""The crawler: every persona of the demo opens what it can reach, and nothing breaks.

A page that no test opened crashed for a fifth of the demo data (issue 7). This test loads
the demo (every app's registered demo loader), logs in as each demo person (and as an
anonymous visitor), starts at the home page and at every URL pattern that needs no
parameter, and follows - breadth first, bounded - every link, every htmx ``hx-get``
target and every ``<form method="get">`` (submitted with its default values). POST forms
are not submitted: the crawl changes nothing.

Every answer must be below 500; every HTML page must be free of template errors and of
the missing-variable marker (templates are rendered with ``string_if_invalid`` set, so a
``{{ variable }}`` that does not resolve shows up), and every answer to a logged-in
person carries ``Cache-Control: no-store``. New apps are crawled as soon as a page links
to them or they have a URL without parameters: nothing to register here.

Runs on SQLite and on PostgreSQL (the suite's two passes).
"""

from __future__ import annotations

import random
import re
import traceback
from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import NoReverseMatch, Resolver404, get_resolver, resolve, reverse

from prima.organizations import demo
from prima.organizations.models import User

# Bounds: pages per persona, and URLs per URL pattern (query-string variants included).
MAX_PAGES = 150
MAX_PER_ROUTE = 10
# Links lead to the newest objects only; a crash that depends on the data (the mention
# page crashed for the fifth of mentions that lack an engagement count) hides among the
# others. So each page of one object (a URL pattern with one integer parameter) is also
# opened for this many ids drawn at random from the ids seen, once per crawl run.
PROBES_PER_ROUTE = 20
MARKER = "§MISSING-VARIABLE"
ERROR_TEXTS = (
    MARKER,
    "TemplateSyntaxError",
    "VariableDoesNotExist",
    "NoReverseMatch",
    "Traceback (most recent call last)",
    "Exception Value:",
    "{%",
)
# Never requested: other sites' pages, files served elsewhere, POST-only endpoints.
SKIP_PREFIXES = ("/static/", "/i18n/setlang/", "/accounts/logout/")
# The admin's own templates rely on silent missing variables (Django's documentation says
# so): there only the status is checked.
MARKER_EXEMPT_PREFIXES = ("/admin/",)


class _Links(HTMLParser):
    """Links, hx-get targets and GET forms (with their default values) of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self._form: dict | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.urls.append(a["href"])
        if a.get("hx-get"):
            self.urls.append(a["hx-get"])
        if tag == "form":
            method = (a.get("method") or "get").lower()
            self._form = {"action": a.get("action", ""), "fields": []} if method == "get" else None
        elif self._form is not None and tag in ("input", "textarea") and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file", "image", "reset"):
                self._form["fields"].append((a["name"], a.get("value", "")))
        elif self._form is not None and tag == "select":
            self._select = a.get("name") or None
        elif self._form is not None and tag == "option" and self._select and "selected" in a:
            self._form["fields"].append((self._select, a.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "form" and self._form is not None:
            query = urlencode(self._form["fields"])
            self.urls.append(f"{self._form['action'] or '?'}{'?' if query else ''}{query}")
            self._form = None


@dataclass
class Crawl:
    client: Client
    logged_in: bool
    seen: set[str] = field(default_factory=set)
    per_route: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    visited: int = 0
    object_pages: dict[str, list[str]] = field(default_factory=dict)

    def run(self, seeds: list[str]) -> None:
        queue = deque(seeds)
        while queue and self.visited < MAX_PAGES:
            url = queue.popleft()
            if url in self.seen:
                continue
            self.seen.add(url)
            route = _route(url)
            if route is None or self.per_route[route] >= MAX_PER_ROUTE:
                continue
            self.per_route[route] += 1
            self.visited += 1
            self.object_pages.setdefault(route, []).append(url)
            queue.extend(self._visit(url))

    def probe(self, done: set[str], rng: random.Random) -> None:
        """Open pages of objects nothing linked to (see PROBES_PER_ROUTE); routes in
        ``done`` were probed by an earlier persona."""
        for route, urls in sorted(self.object_pages.items()):
            match = resolve(urlsplit(urls[0]).path)
            ints = [k for k, v in match.kwargs.items() if isinstance(v, int)]
            if route in done or len(ints) != 1:
                continue
            done.add(route)
            name = ints[0]
            highest = max(resolve(urlsplit(u).path).kwargs[name] for u in urls)
            for number in rng.sample(range(1, highest + 1), min(highest, PROBES_PER_ROUTE)):
                try:
                    url = reverse(route, kwargs={**match.kwargs, name: number})
                except NoReverseMatch:
                    break
                if url not in self.seen:
                    self.seen.add(url)
                    self._visit(url)

    def _visit(self, url: str) -> list[str]:
        try:
            response = self.client.get(url, HTTP_HX_REQUEST="true" if "hx" in url else "")
        except Exception:  # noqa: BLE001 - every failure is reported with its URL
            self.problems.append(f"{url}: exception\n{traceback.format_exc(limit=-3)}")
            return []
        status = response.status_code
        if status >= 500:
            self.problems.append(f"{url}: {status}")
            return []
        if self.logged_in and "no-store" not in response.get("Cache-Control", ""):
            self.problems.append(f"{url}: no 'Cache-Control: no-store' for a logged-in person")
        if status in (301, 302, 303, 307, 308):
            return [_local(urljoin(url, response["Location"]))]
        if response.streaming:
            # Run the generator: errors surface here.
            b"".join(response.streaming_content)  # type: ignore[attr-defined]
            return []
        if status != 200 or "html" not in response.get("Content-Type", ""):
            return []
        html = response.content.decode("utf-8", errors="replace")
        if not url.startswith(MARKER_EXEMPT_PREFIXES):
            visible = _without_scripts(html)
            for text in ERROR_TEXTS:
                at = visible.find(text)
                if at >= 0:
                    self.problems.append(f"{url}: page contains {visible[at : at + 80]!r}")
        parser = _Links()
        parser.feed(html)
        return [u for u in (_local(urljoin(url, link)) for link in parser.urls) if u]


def _without_scripts(html: str) -> str:
    return re.sub(r"<script\b.*?</script>", "", html, flags=re.DOTALL | re.IGNORECASE)


def _local(url: str) -> str:
    """The path and sorted query of a URL of this site, "" for anything else."""
    parts = urlsplit(url)
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
        return ""
    if not parts.path.startswith("/") or parts.path.startswith(SKIP_PREFIXES):
        return ""
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return parts.path + (f"?{query}" if query else "")


def _route(url: str) -> str | None:
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return "(not found)"
    return match.view_name or match.route


def _parameterless_urls() -> list[str]:
    """Every URL pattern without parameters: pages that nothing links to yet get opened."""
    urls = []

    def walk(patterns, prefix: str) -> None:
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if hasattr(entry, "url_patterns"):
                walk(entry.url_patterns, route)
            elif "<" not in route and "(?P" not in route and "^" not in route:
                urls.append("/" + route.lstrip("/"))

    walk(get_resolver().url_patterns, "")
    return sorted({_local(u) for u in urls if _local(u)})


def _personas() -> list[str | None]:
    """Anonymous, then one demo person per distinct set of roles and offices (two PR staff
    of one office see the same pages)."""
    chosen: dict[frozenset, str] = {}
    for person in demo.PEOPLE:
        chosen.setdefault(frozenset((person.office_code, r) for r in person.roles), person.username)
    return [None, *chosen.values()]


@pytest.fixture
def demo_data(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DEBUG = True  # the demo refuses to load otherwise
    demo.load_all(lambda _text: None)
    settings.DEBUG = False
    templates = [dict(engine) for engine in settings.TEMPLATES]
    templates[0]["OPTIONS"] = {**templates[0]["OPTIONS"], "string_if_invalid": MARKER + ":%s§"}
    settings.TEMPLATES = templates


def test_every_persona_crawls_the_demo_without_errors(demo_data):
    # One test for all personas: the demo is loaded once.
    problems = []
    probed: set[str] = set()
    rng = random.Random(7)  # the same ids on every run: a failure can be replayed
    for username in _personas():
        client = Client()
        if username is not None:
            client.force_login(User.objects.get(username=username))
        crawl = Crawl(client, logged_in=username is not None)
        crawl.run(["/", *_parameterless_urls()])
        crawl.probe(probed, rng)
        problems += [f"[{username or 'anonymous'}] {problem}" for problem in crawl.problems]
        if username is not None:
            # The crawl reached beyond the home page (a broken menu would crawl nothing).
            assert crawl.visited > 10, (username, crawl.per_route)
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems[:60])


def test_the_crawler_follows_links_forms_and_htmx():
    parser = _Links()
    parser.feed(
        '<a href="/a/">a</a><div hx-get="/b/?x=1"></div>'
        '<form method="get" action="/c/"><input name="q" value="paspor">'
        '<input type="checkbox" name="on"><select name="s"><option value="1">'
        '<option value="2" selected></select><button type="submit">Cari</button></form>'
        '<form method="post" action="/d/"><input name="x"></form>'
    )
    assert parser.urls == ["/a/", "/b/?x=1", "/c/?q=paspor&s=2"]
    assert _local("https://example.com/x") == ""
    assert _local("/static/prima.css") == ""
    assert _local("/m/?b=2&a=1") == "/m/?a=1&b=2"
    assert "/" in _parameterless_urls() and settings.LOGIN_URL
