"""The artifact upload: against a local results service that speaks the Twirp and blob
endpoints, and checked against the official @actions/artifact client run with node."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from planner.action import artifacts
from planner.action.artifacts import ArtifactError, ResultsClient, backend_ids, build_zip
from tests.runner import ROOT, run_action, webhook
from tests.servers.base import Fault
from tests.servers.results import JOB_ID, RUN_ID, SERVICE, ResultsServer, runtime_token

TOKEN = runtime_token()
NODE_DIR = ROOT / "tests" / "node"
FILES = {
    ".agent/planning-output-7.json": b'{"a": 1}\n',
    "IMPLEMENTATION_PLAN.md": b"# Plan\n",
    "specs/7-m1-x.md": "héllo\n".encode(),
}


@pytest.fixture
def results() -> Iterator[ResultsServer]:
    with ResultsServer(TOKEN) as server:
        yield server


def client(server: ResultsServer) -> ResultsClient:
    return ResultsClient(f"{server.url}/some/path?x=1", TOKEN, backoff=0.01)


def test_zip_is_deterministic_sorted_with_fixed_times() -> None:
    first = build_zip(FILES)
    assert first == build_zip(dict(reversed(list(FILES.items()))))
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        infos = archive.infolist()
        assert [i.filename for i in infos] == sorted(FILES)
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        assert {i.external_attr >> 16 for i in infos} == {0o100644}
        assert archive.read("specs/7-m1-x.md") == FILES["specs/7-m1-x.md"]


def test_backend_ids_from_the_token_scope() -> None:
    assert backend_ids(TOKEN) == {
        "workflow_run_backend_id": RUN_ID,
        "workflow_job_run_backend_id": JOB_ID,
    }
    with pytest.raises(ArtifactError, match="not a JWT"):
        backend_ids("opaque")
    with pytest.raises(ArtifactError, match="no Actions.Results scope"):
        backend_ids(runtime_token().split(".")[0] + ".e30.sig")


def test_upload_sends_exactly_what_the_service_expects(results: ResultsServer) -> None:
    uploaded = client(results).upload("planning-7", FILES, retention_days=5)
    archive = build_zip(FILES)
    digest = "sha256:" + hashlib.sha256(archive).hexdigest()
    assert (uploaded.size, uploaded.digest) == (len(archive), digest)
    create, finalize = results.calls("POST")
    assert create.path == SERVICE + "CreateArtifact"
    assert create.headers["authorization"] == f"Bearer {TOKEN}"
    assert create.headers["content-type"] == "application/json"
    body = create.json()
    assert {k: v for k, v in body.items() if k != "expires_at"} == {
        "workflow_run_backend_id": RUN_ID,
        "workflow_job_run_backend_id": JOB_ID,
        "name": "planning-7",
        "version": 7,
        "mime_type": "application/zip",
    }
    assert body["expires_at"].endswith(".000Z")
    (put,) = results.calls("PUT")
    assert put.path.startswith("/blob/") and put.query["sig"] == ["s3cr3t"]
    assert put.headers["x-ms-blob-type"] == "BlockBlob"
    assert put.body == archive
    assert finalize.json() == {
        "workflow_run_backend_id": RUN_ID,
        "workflow_job_run_backend_id": JOB_ID,
        "name": "planning-7",
        "size": str(len(archive)),
        "hash": digest,
    }
    assert uploaded.id == "1001"
    assert results.errors == []


def test_large_zip_goes_in_blocks(results: ResultsServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(artifacts, "SINGLE_PUT_LIMIT", 1024)
    monkeypatch.setattr(artifacts, "BLOCK_SIZE", 1000)
    big = {"big.bin": os.urandom(5000)}
    client(results).upload("big", big, None)
    puts = results.calls("PUT")
    assert [p.query.get("comp", [""])[0] for p in puts] == ["block"] * 6 + ["blocklist"]
    assert bytes(results.artifacts[1001].blob) == build_zip(big)
    assert results.artifacts[1001].finalized


def test_wrong_size_or_hash_is_rejected_by_the_service(results: ResultsServer) -> None:
    upload = client(results)
    upload._twirp(
        "CreateArtifact",
        {**backend_ids(TOKEN), "name": "x", "version": 7, "mime_type": "application/zip"},
    )
    with pytest.raises(ArtifactError, match="HTTP 400"):
        upload._twirp(
            "FinalizeArtifact",
            {**backend_ids(TOKEN), "name": "x", "size": "12", "hash": "sha256:00"},
        )
    assert results.errors == ["invalid_argument: size 12 does not match uploaded 0"]


def test_503s_on_create_and_a_failing_blob_put_are_retried(results: ResultsServer) -> None:
    results.faults += [
        Fault("POST", SERVICE + "CreateArtifact", 503, times=2),
        Fault("PUT", r"/blob/.*", 500, times=1),
    ]
    uploaded = client(results).upload("planning-7", FILES, None)
    assert len(results.calls("POST", SERVICE + "CreateArtifact")) == 3
    assert len(results.calls("PUT")) == 2
    assert results.artifacts[int(uploaded.id)].finalized


def test_retries_are_bounded(results: ResultsServer) -> None:
    results.faults.append(Fault("POST", SERVICE + "CreateArtifact", 503, times=None))
    with pytest.raises(ArtifactError, match="HTTP 503"):
        client(results).upload("planning-7", FILES, None)
    assert len(results.calls("POST")) == 5


def test_a_name_used_twice_says_what_to_change(results: ResultsServer) -> None:
    client(results).upload("planning-7", FILES, None)
    with pytest.raises(ArtifactError, match="set the artifact-name input") as caught:
        client(results).upload("planning-7", FILES, None)
    assert caught.value.conflict


def planning_payload() -> dict:
    payload = webhook("issues", "opened")
    payload["issue"]["body"] = (ROOT / "examples" / "issue-42.md").read_text()
    return payload


def runner_env(server: ResultsServer) -> dict[str, str]:
    return {"ACTIONS_RUNTIME_TOKEN": TOKEN, "ACTIONS_RESULTS_URL": f"{server.url}/"}


def test_action_uploads_and_sets_artifact_outputs(tmp_path: Path, results: ResultsServer) -> None:
    result = run_action(
        tmp_path,
        "issues",
        planning_payload(),
        extra_env=runner_env(results),
        inputs={"retention-days": "30"},
    )
    assert result.code == 0, result.stdout
    artifact_id = result.outputs["artifact-id"]
    assert artifact_id == "1001"
    assert result.outputs["artifact-url"] == (
        "https://github.com/Codertocat/Hello-World/actions/runs/1658821493/artifacts/1001"
    )
    stored = results.artifacts[1001]
    assert stored.name == "planning-1"
    with zipfile.ZipFile(io.BytesIO(bytes(stored.blob))) as archive:
        names = archive.namelist()
        assert ".agent/planning-output-1.json" in names and "IMPLEMENTATION_PLAN.md" in names
        assert (
            archive.read(".agent/planning-output-1.json")
            == (result.workspace / ".agent" / "planning-output-1.json").read_bytes()
        )
    assert TOKEN not in result.stdout.split("\n", 2)[2]


def test_finalize_failure_is_a_finding_and_files_stay(
    tmp_path: Path, results: ResultsServer
) -> None:
    results.faults.append(
        Fault(
            "POST",
            SERVICE + "FinalizeArtifact",
            400,
            times=None,
            body={"code": "invalid_argument", "msg": "nope"},
        )
    )
    result = run_action(tmp_path, "issues", planning_payload(), extra_env=runner_env(results))
    assert result.code == 0
    assert result.outputs["artifact-id"] == ""
    assert (
        "::warning title=artifact-upload::The artifact was not uploaded: FinalizeArtifact"
        in result.stdout
    )
    assert (result.workspace / ".agent" / "planning-output-1.json").exists()


def test_second_upload_with_the_same_name_is_reported(
    tmp_path: Path, results: ResultsServer
) -> None:
    run_action(tmp_path / "a", "issues", planning_payload(), extra_env=runner_env(results))
    second = run_action(tmp_path / "b", "issues", planning_payload(), extra_env=runner_env(results))
    assert second.code == 0
    assert "already exists in this workflow run; set the artifact-name input" in second.stdout


def test_no_runtime_token_is_a_warning_and_success(tmp_path: Path) -> None:
    result = run_action(tmp_path, "issues", planning_payload())
    assert result.code == 0
    assert "::warning title=artifact-not-uploaded::" in result.stdout


# ---------------------------------------------------------------- the official client


def node(args: list[str], server: ResultsServer, workspace: Path) -> dict:
    if shutil.which("node") is None or not (NODE_DIR / "node_modules" / "@actions").exists():
        raise RuntimeError("node and tests/node/node_modules are needed: run scripts/test")
    env = {
        "PATH": os.environ["PATH"],
        "ACTIONS_RUNTIME_TOKEN": TOKEN,
        "ACTIONS_RESULTS_URL": f"{server.url}/",
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_WORKSPACE": str(workspace),
        "HOME": str(workspace),
    }
    done = subprocess.run(
        ["node", str(NODE_DIR / "interop.mjs"), *args],
        cwd=NODE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    data: dict = json.loads(done.stdout.strip().splitlines()[-1])
    return data


@pytest.mark.node
def test_official_client_downloads_what_we_uploaded(tmp_path: Path, results: ResultsServer) -> None:
    uploaded = client(results).upload("planning-7", FILES, None)
    dest = tmp_path / "download"
    seen = node(["download", "planning-7", str(dest)], results, tmp_path)
    assert seen["digestMismatch"] is False
    assert seen["digest"] == uploaded.digest
    assert str(seen["id"]) == uploaded.id
    for name, data in FILES.items():
        assert (dest / name).read_bytes() == data


@pytest.mark.node
def test_service_accepts_what_the_official_client_uploads(
    tmp_path: Path, results: ResultsServer
) -> None:
    root = tmp_path / "ws"
    (root / ".agent").mkdir(parents=True)
    (root / ".agent" / "planning-output-3.json").write_text('{"x": 3}\n')
    (root / "IMPLEMENTATION_PLAN.md").write_text("# Plan\n")
    files = [str(root / ".agent" / "planning-output-3.json"), str(root / "IMPLEMENTATION_PLAN.md")]
    out = node(["upload", "from-node", str(root), *files], results, root)
    assert results.errors == []
    stored = results.artifacts[int(out["id"])]
    assert stored.finalized and out["size"] == len(stored.blob)
    assert out["digest"] == stored.digest.removeprefix("sha256:")
    with zipfile.ZipFile(io.BytesIO(bytes(stored.blob))) as archive:
        assert sorted(archive.namelist()) == [
            ".agent/planning-output-3.json",
            "IMPLEMENTATION_PLAN.md",
        ]


def test_retention_is_capped_by_the_repository_setting(
    tmp_path: Path, results: ResultsServer
) -> None:
    env = {**runner_env(results), "GITHUB_RETENTION_DAYS": "10"}
    result = run_action(
        tmp_path, "issues", planning_payload(), extra_env=env, inputs={"retention-days": "90"}
    )
    assert result.code == 0
    from datetime import UTC, datetime, timedelta

    expires = datetime.strptime(
        results.artifacts[1001].expires_at or "", "%Y-%m-%dT%H:%M:%S.000Z"
    ).replace(tzinfo=UTC)
    assert abs(expires - (datetime.now(UTC) + timedelta(days=10))) < timedelta(minutes=5)
