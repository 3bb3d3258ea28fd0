"""pk_url: the URL reverse() gives, for every id and script prefix."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.urls import reverse, set_script_prefix

from prima.lib.urls import pk_url


@pytest.mark.parametrize(
    "name", ["monitoring:mention-detail", "monitoring:issue-detail", "conferences:detail"]
)
@pytest.mark.parametrize("pk", [1, 7, 42, 987654321, 10**12])
def test_it_is_the_url_reverse_gives(name, pk):
    assert pk_url(name, pk) == reverse(name, args=[pk])


def test_a_script_prefix_is_kept():
    try:
        set_script_prefix("/prima/")
        assert pk_url("monitoring:mention-detail", 5) == reverse(
            "monitoring:mention-detail", args=[5]
        )
        assert pk_url("monitoring:mention-detail", 5).startswith("/prima/")
    finally:
        set_script_prefix("/")
    assert pk_url("monitoring:mention-detail", 5) == reverse("monitoring:mention-detail", args=[5])


def test_the_template_filter():
    html = Template("{{ pk|pk_url:'monitoring:mention-detail' }}").render(Context({"pk": 3}))
    assert html == reverse("monitoring:mention-detail", args=[3])
