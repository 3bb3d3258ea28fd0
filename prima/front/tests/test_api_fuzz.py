"""Property-based fuzzing of the whole JSON API with Schemathesis, against a live server.

Every operation of ``/api/v1/openapi.json`` (new apps' operations included, as soon as
their routers are added) is called with requests generated from the schema — its
examples, the boundaries of every parameter, random valid and invalid data (wrong types,
out-of-range numbers, missing fields) and stateful sequences — by the demo's PR lead of
Soekarno-Hatta with an API token, on the demo data. Every answer must be below 500, have
a status code and a content type that the schema documents and a body that matches the
documented schema, whatever was sent.

Bounded: at most ``MAX_EXAMPLES`` cases per operation and phase, deterministic
generation (the same cases on every run, so a failure can be replayed), about two
minutes on the development machine.
Runs on SQLite and PostgreSQL (the suite's two passes); the report of the last run is in
``test-artifacts/schemathesis/``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from django.conf import settings

from prima.organizations import demo
from prima.organizations.models import ApiToken, User

MAX_EXAMPLES = 15
# A hard stop only: the run ends after MAX_EXAMPLES cases per operation and phase.
MAX_SECONDS = 420
# Not "negative_data_rejection": in a query string every value is text, so a "boolean"
# that Schemathesis sends as ?outlet=false is a perfectly valid outlet name. Invalid
# input is still generated (and must not cause a 5xx or an undocumented status).
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
]
REPORTS = Path(settings.BASE_DIR) / "test-artifacts" / "schemathesis"


def _token(username: str) -> str:
    key = ApiToken.new_key()
    ApiToken.objects.create(
        user=User.objects.get(username=username),
        name="schemathesis",
        key_prefix=key[:12],
        key_hash=ApiToken.hash_key(key),
    )
    return key


def test_the_api_answers_every_generated_request_as_documented(
    live_server, transactional_db, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DEBUG = True  # the demo refuses to load otherwise
    demo.load_all(lambda _text: None)
    settings.DEBUG = False
    key = _token("kasihumas")
    REPORTS.mkdir(parents=True, exist_ok=True)
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "run",
        f"{live_server.url}/api/v1/openapi.json",
        "--checks", ",".join(CHECKS),
        "--max-examples", str(MAX_EXAMPLES),
        "--generation-deterministic",
        "--generation-with-security-parameters", "false",
        "--workers", "1",
        "--header", f"Authorization: Bearer {key}",
        "--request-timeout", "30",
        "--report", "junit",
        "--report-junit-path", str(REPORTS / "junit.xml"),
        "--no-color",
    ]  # fmt: skip
    result = subprocess.run(  # noqa: S603 - our own virtual environment's schemathesis
        command, capture_output=True, text=True, timeout=MAX_SECONDS + 120, check=False
    )
    output = (result.stdout + result.stderr).replace(key, "<token>")
    (REPORTS / "output.txt").write_text(output, encoding="utf-8")
    assert result.returncode == 0, output[-20000:]
