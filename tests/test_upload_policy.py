"""The upload policy beside the adapter: what is uploaded, under which name, for how
long, and how a failure is reported (never raised: the files are in the workspace)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from planner.action.artifacts import ResultsClient, upload_files
from tests.servers.results import ResultsServer, runtime_token

TOKEN = runtime_token()
WRITTEN = {".agent/planning-output-7.json": '{"a": 1}\n', "specs/7-m1-x.md": "héllo\n"}


@pytest.fixture
def results() -> Iterator[ResultsServer]:
    with ResultsServer(TOKEN) as server:
        yield server


def client(server: ResultsServer) -> ResultsClient:
    return ResultsClient(f"{server.url}/", TOKEN, backoff=0.01)


def test_the_rendered_files_are_uploaded_as_utf8(results: ResultsServer) -> None:
    uploaded, findings = upload_files(client(results), WRITTEN, "planning-7", 90, 10)
    assert findings == [] and uploaded is not None
    (artifact,) = results.artifacts.values()
    assert artifact.name == "planning-7" and artifact.finalized
    with zipfile.ZipFile(io.BytesIO(bytes(artifact.blob))) as archive:
        stored = {name: archive.read(name) for name in archive.namelist()}
    assert stored == {k: v.encode("utf-8") for k, v in WRITTEN.items()}
    expires = datetime.strptime(artifact.expires_at or "", "%Y-%m-%dT%H:%M:%S.000Z")
    days = (expires.replace(tzinfo=UTC) - datetime.now(UTC)) / timedelta(days=1)
    assert 9.9 < days <= 10, "90 days asked, the repository allows 10"


def test_a_failed_upload_is_a_warning(results: ResultsServer) -> None:
    upload_files(client(results), WRITTEN, "planning-7", None, None)
    uploaded, findings = upload_files(client(results), WRITTEN, "planning-7", None, None)
    assert uploaded is None
    assert [(f.rule, f.severity) for f in findings] == [("artifact-upload", "warning")]
    assert "artifact-name" in findings[0].message and "in the workspace" in findings[0].message


def test_a_bad_name_is_a_warning_before_any_request(results: ResultsServer) -> None:
    uploaded, findings = upload_files(client(results), WRITTEN, "plan:7", None, None)
    assert uploaded is None and [f.rule for f in findings] == ["artifact-upload"]
    assert results.requests == []


def test_no_port_is_a_warning() -> None:
    uploaded, findings = upload_files(None, WRITTEN, "planning-7", None, None)
    assert uploaded is None and [f.rule for f in findings] == ["artifact-not-uploaded"]
