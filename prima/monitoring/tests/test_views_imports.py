"""Importing a social-media export through the pages: upload, column mapping (suggested
or a preset), the background job, the progress panel and the report."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prima.conftest import client_for
from prima.monitoring.models import (
    ColumnMappingPreset,
    IngestJob,
    JobStatus,
    Mention,
    Source,
    SourceKind,
)
from prima.monitoring.views import PENDING_KEY

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
LIST = reverse("monitoring:import-list")
CSV = (
    b"Akun,Isi Postingan,Tanggal Posting,Suka\n"
    b"warga1,Antrean autogate Soetta lancar pagi ini,2025-11-19 08:00,12\n"
    b"warga2,,2025-11-19 09:00,3\n"
    b"warga3,Petugas imigrasi ramah dan cepat,2025-11-19 10:00,7\n"
)


@pytest.fixture(autouse=True)
def _media_and_tasks(settings, tmp_path):
    settings.TASKS = IMMEDIATE
    settings.MEDIA_ROOT = tmp_path / "media"


def _upload(client, content: bytes = CSV, name: str = "ekspor.csv", **extra):
    data = {
        "file": SimpleUploadedFile(name, content, content_type="text/csv"),
        "new_source": "Ekspor X harian",
        **extra,
    }
    return client.post(LIST, data)


def test_the_upload_leads_to_a_suggested_mapping(pr_staff, offices):
    client = client_for(pr_staff)
    response = _upload(client)
    assert response.status_code == 302
    mapping_page = client.get(response["Location"])
    form = mapping_page.context["form"]
    assert form["map_text"].initial == "Isi Postingan"
    assert form["map_author_handle"].initial == "Akun"
    assert form["map_published_at"].initial == "Tanggal Posting"
    assert mapping_page.context["format"] == "csv"
    # Built-in presets are described in words, not shown by their code names.
    page = mapping_page.content.decode()
    assert "Spreadsheet standar (CSV)" in page and ">generic_csv<" not in page


def test_the_whole_import_ends_with_a_report(pr_staff, offices, django_capture_on_commit_callbacks):
    client = client_for(pr_staff)
    mapping_url = _upload(client)["Location"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            mapping_url,
            {
                "map_text": "Isi Postingan",
                "map_author_handle": "Akun",
                "map_published_at": "Tanggal Posting",
                "map_likes": "Suka",
            },
        )
    job = IngestJob.objects.get()
    assert response["Location"] == reverse("monitoring:import-detail", args=[job.pk])
    assert job.status == JobStatus.DONE
    assert (job.accepted, job.duplicates, job.rejected) == (2, 0, 1)
    page = client.get(response["Location"])
    html = page.content.decode()
    assert 'data-testid="rejections"' in html
    assert page.context["rejections"][0].position == 3
    assert Source.objects.get(name="Ekspor X harian").kind == SourceKind.SOCIAL_IMPORT
    assert Mention.objects.filter(source__name="Ekspor X harian").count() == 2
    # The pending upload is gone from the session.
    assert client.session.get(PENDING_KEY) == {}


def test_a_saved_mapping_can_be_reused(pr_staff, offices, django_capture_on_commit_callbacks):
    client = client_for(pr_staff)
    mapping_url = _upload(client)["Location"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            mapping_url,
            {"map_text": "Isi Postingan", "map_author_handle": "Akun", "save_as": "Ekspor X"},
        )
    preset = ColumnMappingPreset.objects.get(office=offices["soetta"], name="Ekspor X")
    assert preset.mapping["fields"]["text"] == ["Isi Postingan"]
    assert preset in client.get(LIST).context["presets"]
    source = Source.objects.get(name="Ekspor X harian")
    second = client.post(LIST, {"file": SimpleUploadedFile("lagi.csv", CSV), "source": source.pk})
    page = client.get(second["Location"])
    assert ("Ekspor X", "Ekspor X") in page.context["form"].fields["preset"].choices
    with django_capture_on_commit_callbacks(execute=True):
        client.post(second["Location"], {"preset": "Ekspor X"})
    job = IngestJob.objects.order_by("-pk").first()
    assert job.preset == "Ekspor X" and job.duplicates == 2


def test_a_new_source_name_taken_by_another_kind_is_refused_on_the_page(pr_staff, offices):
    Source.objects.create(office=offices["soetta"], name="Ekspor X harian", kind=SourceKind.RSS,
                          url="https://warta.example.id/rss")  # fmt: skip
    client = client_for(pr_staff)
    mapping_url = _upload(client)["Location"]
    response = client.post(mapping_url, {"map_text": "Isi Postingan"})
    assert response.status_code == 200
    assert "Ekspor X harian" in " ".join(response.context["form"].non_field_errors())
    assert not IngestJob.objects.exists()


def test_the_mapping_needs_the_text_column(pr_staff, offices):
    client = client_for(pr_staff)
    mapping_url = _upload(client)["Location"]
    response = client.post(mapping_url, {"map_author_handle": "Akun"})
    assert response.status_code == 200
    assert response.context["form"].errors["map_text"]
    assert not IngestJob.objects.exists()


def test_an_oversized_file_is_refused_clearly(pr_staff, offices, settings):
    settings.MONITORING_MAX_UPLOAD_BYTES = 100
    response = _upload(client_for(pr_staff))
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert errors and not IngestJob.objects.exists()


def test_a_wrong_file_type_is_refused_clearly(pr_staff, offices):
    response = _upload(client_for(pr_staff), content=b"%PDF-1.4", name="laporan.pdf")
    assert "laporan.pdf" in response.context["form"].errors["file"][0]


def test_an_unreadable_file_goes_back_with_a_message(pr_staff, offices):
    client = client_for(pr_staff)
    response = _upload(client, content=b"\x00\x01\x02 not json", name="rusak.json")
    follow = client.get(response["Location"], follow=True)
    assert follow.redirect_chain[-1][0] == LIST
    assert list(follow.context["messages"])


def test_a_source_or_a_name_is_needed(pr_staff, offices):
    response = client_for(pr_staff).post(LIST, {"file": SimpleUploadedFile("a.csv", CSV)})
    assert response.context["form"].errors["source"]


def test_a_source_of_another_office_cannot_be_chosen(pr_staff, offices):
    foreign = Source.objects.create(
        office=offices["jakpus"], name="Ekspor Jakpus", kind=SourceKind.SOCIAL_IMPORT
    )
    response = client_for(pr_staff).post(
        LIST, {"file": SimpleUploadedFile("a.csv", CSV), "source": foreign.pk}
    )
    assert response.status_code == 200 and response.context["form"].errors["source"]


def test_the_progress_panel_polls_until_the_job_has_finished(pr_staff, offices):
    source = Source.objects.create(
        office=offices["soetta"], name="S", kind=SourceKind.SOCIAL_IMPORT
    )
    job = IngestJob.objects.create(
        office=offices["soetta"],
        source=source,
        kind="file",
        status=JobStatus.RUNNING,
        position=40,
        total=100,
    )
    client = client_for(pr_staff)
    url = reverse("monitoring:import-progress", args=[job.pk])
    running = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in running and "40%" in running
    IngestJob.objects.filter(pk=job.pk).update(status=JobStatus.DONE, accepted=100)
    done = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in done and 'data-testid="accepted">100<' in done


def test_the_list_shows_recent_imports(pr_staff, offices, django_assert_max_num_queries):
    source = Source.objects.create(
        office=offices["soetta"], name="S", kind=SourceKind.SOCIAL_IMPORT
    )
    for n in range(5):
        IngestJob.objects.create(
            office=offices["soetta"],
            source=source,
            kind="file",
            filename=f"f{n}.csv",
            created_by=pr_staff,
        )
    client = client_for(pr_staff)
    client.get(LIST)
    with django_assert_max_num_queries(12) as few:
        client.get(LIST)
    for n in range(5):
        IngestJob.objects.create(
            office=offices["soetta"], source=source, kind="urls", created_by=pr_staff
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST)
    assert len(response.context["jobs"]) == 10


# --- refused zips: the page says what `prima ingest` says (issue 7) ---------------------


def _zip(members: dict[str, bytes], compression=None) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression or zipfile.ZIP_STORED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _refused_zips() -> dict[str, tuple[bytes, str]]:
    import zipfile

    bomb = _zip({"data.csv": b"isi\n" + b"a" * (8 * 1024 * 1024)}, zipfile.ZIP_DEFLATED)
    nested = _zip({"dalam.zip": _zip({"a.csv": b"isi\nhalo\n"})})
    many = _zip({f"f{i}.csv": b"isi\nx\n" for i in range(60)})
    return {
        "bomb": (bomb, "bom"),
        "nested": (nested, "dalam.zip"),
        "many": (many, "60"),
    }


@pytest.mark.parametrize("case", ["bomb", "nested", "many"])
def test_a_refused_zip_shows_the_same_reason_as_the_command(
    pr_staff, offices, case, tmp_path, settings
):
    from django.core.management import call_command

    content, expected = _refused_zips()[case]
    client = client_for(pr_staff)
    response = client.get(_upload(client, content, name=f"{case}.zip")["Location"], follow=True)
    shown = [str(m) for m in response.context["messages"]]
    assert len(shown) == 1 and expected in shown[0], shown
    assert not IngestJob.objects.exists()
    # The command line gives the same words for the same file.
    path = tmp_path / f"{case}.zip"
    path.write_bytes(content)
    out = __import__("io").StringIO()
    call_command(
        "ingest",
        str(path),
        office=offices["soetta"].code,
        user=pr_staff.username,
        quiet=True,
        stdout=out,
    )
    reason = shown[0].split(": ", 1)[1]
    assert reason in out.getvalue(), (reason, out.getvalue())
