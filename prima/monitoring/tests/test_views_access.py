"""Who may open which monitoring page: every view, every persona.

Objects belong to Soekarno-Hatta. PR staff and the other office roles see them; the
regional and DG supervisors read them through their sub-tree; the outsider (PR staff at
Jakarta Pusat) gets 404 for each object; roles that may see but not act get 403.
"""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from prima.conftest import client_for, make_person
from prima.monitoring.models import (
    ColumnMappingPreset,
    IngestJob,
    Issue,
    JobKind,
    JobStatus,
    Source,
    SourceKind,
    WatchList,
)
from prima.monitoring.tests.views_fixtures import coverage, source_for

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
READERS = (
    "pr_staff",
    "pr_lead",
    "spokesperson",
    "head",
    "regional_supervisor",
    "dg_supervisor",
    "administrator",
)


@pytest.fixture
def world(personas, offices, settings):
    settings.TASKS = IMMEDIATE
    mentions = coverage(offices["soetta"])
    source = source_for(offices["soetta"])
    feed = Source.objects.create(
        office=offices["soetta"],
        name="Feed Antara",
        kind=SourceKind.RSS,
        url="https://example.org/rss",
    )
    job = IngestJob.objects.create(
        office=offices["soetta"],
        source=source,
        kind=JobKind.FILE,
        status=JobStatus.DONE,
        filename="x.csv",
        finished_at=timezone.now(),
    )
    preset = ColumnMappingPreset.objects.create(
        office=offices["soetta"], name="Ekspor X", mapping={"fields": {"text": ["isi"]}}
    )
    watchlist = WatchList.objects.create(
        office=offices["soetta"], name="Autogate", query="autogate"
    )
    issue = Issue.objects.filter(office=offices["soetta"]).order_by("-mention_count").first()
    return {
        "mention": mentions[0],
        "source": source,
        "feed": feed,
        "job": job,
        "preset": preset,
        "watchlist": watchlist,
        "issue": issue,
    }


def _get(user, url_name, *args, **params):
    return client_for(user).get(reverse(f"monitoring:{url_name}", args=args), params)


def _post(user, url_name, *args, **data):
    return client_for(user).post(reverse(f"monitoring:{url_name}", args=args), data)


# --- anonymous visitors ---------------------------------------------------------------------

PAGES = [
    ("dashboard", ()),
    ("mention-list", ()),
    ("mention-export", ()),
    ("mention-detail", (1,)),
    ("issue-list", ()),
    ("issue-detail", (1,)),
    ("source-list", ()),
    ("source-detail", (1,)),
    ("clipping-create", ()),
    ("import-list", ()),
    ("import-mapping", ("abc",)),
    ("import-detail", (1,)),
    ("import-progress", (1,)),
    ("watchlist-list", ()),
    ("watchlist-detail", (1,)),
    ("sentiment-model", ()),
    ("sentiment-model-version", (1,)),
]
ACTIONS = [
    ("mention-correct", (1,)),
    ("mention-bulk-correct", ()),
    ("issue-rename", (1,)),
    ("issue-merge", (1,)),
    ("issue-split", (1,)),
    ("issue-status", (1,)),
    ("source-action", (1,)),
    ("source-import-urls", (1,)),
    ("import-action", (1,)),
    ("preset-delete", (1,)),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "args"), PAGES + ACTIONS)
def test_anonymous_visitors_are_sent_to_log_in(name, args):
    url = reverse(f"monitoring:{name}", args=args)
    for response in (client_for(None).get(url), client_for(None).post(url)):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_people_without_any_role_are_refused(offices):
    nobody = make_person("tamu", offices["soetta"])
    for name in (
        "dashboard",
        "mention-list",
        "mention-export",
        "issue-list",
        "source-list",
        "import-list",
        "watchlist-list",
        "clipping-create",
        "sentiment-model",
    ):
        assert _get(nobody, name).status_code == 403, name


# --- lists and the dashboard ------------------------------------------------------------------


def test_dashboard_access(personas, world):
    for key in (*READERS, "outsider"):
        response = _get(personas[key], "dashboard")
        assert response.status_code == 200, key
    # The outsider's dashboard counts only Jakarta Pusat: nothing here.
    outsider = _get(personas["outsider"], "dashboard")
    assert outsider.context["kpis"][0]["value"] == 0
    assert _get(personas["pr_staff"], "dashboard").context["kpis"][0]["value"] == 10


def test_stream_access(personas, world):
    for key in READERS:
        response = _get(personas[key], "mention-list")
        assert response.status_code == 200, key
        assert len(response.context["mentions"]) == 10, key
    outsider = _get(personas["outsider"], "mention-list")
    assert outsider.status_code == 200 and outsider.context["mentions"] == []


def test_export_access(personas, world):
    for key in READERS:
        response = _get(personas[key], "mention-export")
        assert response.status_code == 200, key
        assert len(b"".join(response.streaming_content).splitlines()) == 11, key
    outsider = _get(personas["outsider"], "mention-export")
    assert len(b"".join(outsider.streaming_content).splitlines()) == 1


def test_issue_list_access(personas, world):
    for key in READERS:
        assert world["issue"] in _get(personas[key], "issue-list").context["issues"], key
    assert _get(personas["outsider"], "issue-list").context["issues"] == []


def test_source_list_access(personas, world):
    for key in READERS:
        response = _get(personas[key], "source-list")
        assert world["feed"] in response.context["sources"], key
    assert list(_get(personas["outsider"], "source-list").context["sources"]) == []
    # Only source managers get the form.
    assert _get(personas["pr_staff"], "source-list").context["form"] is not None
    assert _get(personas["head"], "source-list").context["form"] is None
    assert _post(personas["head"], "source-list", name="x", kind="rss").status_code == 403


def test_import_list_access(personas, world):
    for key in (
        "pr_staff",
        "pr_lead",
        "head",
        "regional_supervisor",
        "dg_supervisor",
        "administrator",
    ):
        response = _get(personas[key], "import-list")
        assert response.status_code == 200, key
        assert world["job"] in response.context["jobs"], key
    # The spokesperson has no import.view.
    assert _get(personas["spokesperson"], "import-list").status_code == 403
    assert list(_get(personas["outsider"], "import-list").context["jobs"]) == []
    assert _get(personas["head"], "import-list").context["form"] is None


def test_watchlist_list_access(personas, world):
    for key in READERS:
        assert world["watchlist"] in _get(personas[key], "watchlist-list").context["watchlists"]
    assert list(_get(personas["outsider"], "watchlist-list").context["watchlists"]) == []
    assert _post(personas["head"], "watchlist-list", name="x", query="y").status_code == 403


def test_clipping_access(personas, world):
    for key in ("pr_staff", "pr_lead", "outsider"):
        assert _get(personas[key], "clipping-create").status_code == 200, key
    for key in ("spokesperson", "head", "regional_supervisor"):
        assert _get(personas[key], "clipping-create").status_code == 403, key


# --- objects of Soekarno-Hatta --------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("mention-detail", "mention"),
        ("issue-detail", "issue"),
        ("source-detail", "feed"),
        ("watchlist-detail", "watchlist"),
    ],
)
def test_object_pages_access(personas, world, name, key):
    pk = world[key].pk
    for persona in READERS:
        assert _get(personas[persona], name, pk).status_code == 200, persona
    assert _get(personas["outsider"], name, pk).status_code == 404
    assert _get(personas["pr_staff"], name, 999_999).status_code == 404


def test_import_pages_access(personas, world):
    pk = world["job"].pk
    for persona in ("pr_staff", "head", "regional_supervisor", "administrator"):
        assert _get(personas[persona], "import-detail", pk).status_code == 200, persona
        assert _get(personas[persona], "import-progress", pk).status_code == 200, persona
    for name in ("import-detail", "import-progress"):
        assert _get(personas["outsider"], name, pk).status_code == 404
        assert _get(personas["spokesperson"], name, pk).status_code == 404


def test_import_file_access(personas, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    job = world["job"]
    job.file.save("ekspor-medsos.csv", ContentFile(b"isi\nAntrean panjang\n"))
    for persona in ("pr_staff", "head", "regional_supervisor", "administrator"):
        response = _get(personas[persona], "import-file", job.pk)
        assert response.status_code == 200, persona
        assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
        assert b"".join(response.streaming_content) == b"isi\nAntrean panjang\n"
    for persona in ("outsider", "spokesperson"):
        assert _get(personas[persona], "import-file", job.pk).status_code == 404, persona
    # A job without a file (a URL import) has nothing to download.
    job.file = ""
    job.save()
    assert _get(personas["pr_staff"], "import-file", job.pk).status_code == 404


def test_import_mapping_access(personas, world):
    # A mapping token lives in the session of the person who uploaded: anyone else, and
    # an unknown token, get 404.
    for persona in ("pr_staff", "outsider"):
        assert _get(personas[persona], "import-mapping", "0" * 32).status_code == 404


def test_mention_correct_access(personas, world):
    pk = world["mention"].pk
    assert _post(personas["outsider"], "mention-correct", pk, label="positive").status_code == 404
    for persona in ("head", "regional_supervisor", "dg_supervisor"):
        response = _post(personas[persona], "mention-correct", pk, label="positive")
        assert response.status_code == 403, persona
    response = _post(personas["pr_staff"], "mention-correct", pk, label="positive")
    assert response.status_code == 302


def test_mention_bulk_correct_access(personas, world):
    pk = world["mention"].pk
    data = {"mentions": [pk], "label": "positive"}
    assert _post(personas["outsider"], "mention-bulk-correct", **data).status_code == 404
    for persona in ("head", "regional_supervisor", "dg_supervisor"):
        response = _post(personas[persona], "mention-bulk-correct", **data)
        assert response.status_code == 403, persona
    assert _post(personas["pr_staff"], "mention-bulk-correct", **data).status_code == 302


@pytest.mark.parametrize("name", ["issue-rename", "issue-merge", "issue-split", "issue-status"])
def test_issue_actions_access(personas, world, name):
    pk = world["issue"].pk
    assert _post(personas["outsider"], name, pk, name="x").status_code == 404
    assert _post(personas["head"], name, pk, name="x").status_code == 403
    assert _post(personas["regional_supervisor"], name, pk, name="x").status_code == 403
    assert _post(personas["pr_staff"], name, pk, name="Antrean autogate").status_code == 302


def test_source_actions_access(personas, world):
    feed, source = world["feed"], world["source"]
    assert _post(personas["outsider"], "source-action", feed.pk, action="pause").status_code == 404
    assert _post(personas["head"], "source-action", feed.pk, action="pause").status_code == 403
    assert _post(personas["pr_staff"], "source-action", feed.pk, action="pause").status_code == 302
    url = "https://example.org/berita/1"
    assert _post(personas["outsider"], "source-import-urls", source.pk, urls=url).status_code == 404
    assert _post(personas["head"], "source-import-urls", source.pk, urls=url).status_code == 403
    assert _post(personas["pr_staff"], "source-import-urls", source.pk, urls=url).status_code == 302


def test_import_actions_access(personas, world):
    job, preset = world["job"], world["preset"]
    assert _post(personas["outsider"], "import-action", job.pk, action="retry").status_code == 404
    assert (
        _post(personas["spokesperson"], "import-action", job.pk, action="retry").status_code == 404
    )
    assert _post(personas["head"], "import-action", job.pk, action="retry").status_code == 403
    assert _post(personas["pr_staff"], "import-action", job.pk, action="retry").status_code == 302
    assert _post(personas["outsider"], "preset-delete", preset.pk).status_code == 404
    assert _post(personas["head"], "preset-delete", preset.pk).status_code == 403
    assert _post(personas["spokesperson"], "preset-delete", preset.pk).status_code == 404
    assert _post(personas["pr_staff"], "preset-delete", preset.pk).status_code == 302
    assert not ColumnMappingPreset.objects.filter(pk=preset.pk).exists()
