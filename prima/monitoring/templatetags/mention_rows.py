"""The markup of a mention in a list (the stream, an issue, a watch-list) and of a
sentiment badge, written once, in Python.

The stream shows fifty rows. Through the template engine (two includes, a dozen filters
and a ``blocktranslate`` per row) they cost about 13 ms of CPU a page, most of a staff
page's budget under load; the same markup put together here costs a tenth of that. The
templates ``monitoring/_mention_row_inner.html`` and ``monitoring/_sentiment.html`` call
these tags, so every page shows the same markup.

    {% load mention_rows %}
    {% mention_row_inner m %}       (reads ``tz`` and ``hide_issue`` from the context)
    {% sentiment_badge value %}
"""

from __future__ import annotations

import functools
import html
from dataclasses import dataclass
from typing import Any

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator, add_truncation_text, calculate_truncate_chars_length
from django.utils.translation import get_language, gettext, ngettext

from prima.lib import dates, money, urls

from ..models import Platform

register = template.Library()


@dataclass(frozen=True)
class _Words:
    """The words of a row in one language (looked up once per process and language)."""

    sentiments: dict[str, str]
    platforms: dict[str, str]
    interactions: str
    ellipsis: str


@functools.lru_cache(maxsize=8)
def _words(language: str | None) -> _Words:
    # Called with the active language: the catalogue of a language does not change while
    # the process runs.
    return _Words(
        sentiments={
            "positive": gettext("Positive"),
            "negative": gettext("Negative"),
            "neutral": gettext("Neutral"),
        },
        platforms={value: str(label) for value, label in Platform.choices},
        interactions=gettext("%(n)s interactions"),
        # Truncator's own ellipsis in the active language, as truncatechars shows it
        # (Django's translation of "%(truncated_text)s…").
        ellipsis=add_truncation_text("%(truncated_text)s"),
    )


def _chars(text: str, length: int, words: _Words) -> str:
    """``text|truncatechars:length``, with a short cut for the usual case: an ASCII head
    (no combining characters, nothing for Unicode normalisation to change) is cut by
    position instead of character by character."""
    if text[: length + 1].isascii():
        if len(text) <= length:
            return text
        cut = calculate_truncate_chars_length(length, words.ellipsis)
        return add_truncation_text(text[:cut], words.ellipsis)
    return Truncator(text).chars(length, truncate=words.ellipsis)


_e = html.escape  # what Django's escape does to a str, without its lazy-string wrapper


@register.simple_tag
def sentiment_badge(value: str) -> SafeString:
    """``<span class="badge sentiment-negative bad">Negatif</span>``."""
    return mark_safe(_badge(value, _words(get_language())))  # noqa: S308 - escaped


def _badge(value: str, words: _Words) -> str:
    mark = " ok" if value == "positive" else " bad" if value == "negative" else ""
    label = words.sentiments["neutral" if not mark else value]
    return (
        f'<span class="badge sentiment-{_e(value)}{mark}" data-testid="sentiment">'
        f"{_e(label)}</span>"
    )


def _story(mention: Any) -> str:
    story = getattr(mention, "story", None)
    if not story or story.outlets <= 1:
        return ""
    n = story.outlets
    if mention.is_social_post:
        text = ngettext("%(n)s account posted this", "%(n)s accounts posted this", n)
    else:
        text = ngettext("%(n)s outlet carried this story", "%(n)s outlets carried this story", n)
    # Like {% blocktranslate %}: the translation is markup, the value is escaped.
    return f'<span class="badge warn" data-testid="story-size">{text % {"n": n}}</span>'


def render_row_inner(mention: Any, *, tz: str, hide_issue: bool = False) -> SafeString:
    """The inside of a mention's ``<li>``: who and when, the title (a link), the text,
    sentiment, interactions, issue and story size. ``mention`` is a :class:`Mention`
    (its source read only when it has neither outlet nor author; its issue only when it
    has one and ``hide_issue`` is false) with an optional ``story``
    (:class:`~prima.monitoring.queries.StorySize`)."""
    m = mention
    language = get_language()
    words = _words(language)
    author = m.display_author
    who = m.outlet or author or m.source.name
    by = f" · {_e(author)}" if m.outlet and author else ""
    published = m.published_at
    when = dates.format_datetime(published, language or "id", tz_name=tz or dates.DEFAULT_TZ)
    text = f'<p class="mention-text small">{_e(_chars(m.text, 240, words))}</p>' if m.title else ""
    engagement = (
        '<span class="muted">'
        + words.interactions % {"n": money.format_number(m.engagement)}
        + "</span>"
        if m.engagement
        else ""
    )
    issue = (
        f'<a href="{urls.pk_url("monitoring:issue-detail", m.issue_id)}" class="issue-link">'
        f"{_e(_chars(m.issue.display_name, 50, words))}</a>"
        if m.issue_id and not hide_issue
        else ""
    )
    platform = words.platforms.get(m.platform, m.platform)
    return mark_safe(  # noqa: S308 - every value above is escaped or a number
        '  <div class="mention-meta small">\n'
        f'    <span class="badge">{_e(platform)}</span>\n'
        f"    <strong>{_e(who)}</strong>{by}\n"
        f'    · <time datetime="{timezone.localtime(published).isoformat()}">{_e(when)}</time>\n'
        "  </div>\n"
        f'  <a class="mention-title" href="{urls.pk_url("monitoring:mention-detail", m.pk)}">'
        f"{_e(_chars(m.title or m.text, 140, words))}</a>\n"
        f"  {text}\n"
        '  <div class="mention-tags small">\n'
        f"    {_badge(m.sentiment, words)}\n\n"
        f"    {engagement}\n"
        f"    {issue}\n"
        f"    {_story(m)}\n"
        "  </div>\n"
    )


@register.simple_tag(takes_context=True)
def mention_row_inner(context: template.Context, mention: Any) -> SafeString:
    return render_row_inner(
        mention, tz=context.get("tz") or "", hide_issue=bool(context.get("hide_issue"))
    )
