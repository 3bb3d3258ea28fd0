from __future__ import annotations

from prima.lib import markup


def test_headings_tables_and_lists_become_html() -> None:
    html = markup.render("# Card\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- one\n- two\n")
    assert "<h2>Card</h2>" in html
    assert "<table>" in html and "<td>1</td>" in html
    assert "<li>one</li>" in html


def test_scripts_and_event_handlers_never_reach_the_page() -> None:
    html = markup.render('<script>alert(1)</script>\n\n<img src=x onerror="alert(1)">\n\n'
                         "[x](javascript:alert(1))")  # fmt: skip
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html
