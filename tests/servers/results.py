"""A stand-in for the Actions results service (artifacts v4): the Twirp endpoints the
official @actions/artifact client calls, and an Azure-like blob endpoint behind the
signed URLs. It checks what it is sent, as the real service would: the bearer token,
the backend ids, the size and the sha256 of the uploaded zip."""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree

from tests.servers.base import Recorded, Reply, StubServer

SERVICE = "/twirp/github.actions.results.api.v1.ArtifactService/"
RUN_ID = "run-backend-1f2e"
JOB_ID = "job-backend-3c4d"


def runtime_token(run: str = RUN_ID, job: str = JOB_ID) -> str:
    """An unsigned JWT shaped like the runner's ACTIONS_RUNTIME_TOKEN."""

    def encode(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    claims = {
        "scp": f"Actions.GenericRead:abc Actions.Results:{run}:{job} Actions.UploadArtifacts:abc",
        "iss": "vstoken.actions.githubusercontent.com",
    }
    return f"{encode({'typ': 'JWT', 'alg': 'RS256'})}.{encode(claims)}.c2lnbmF0dXJl"


@dataclass
class StoredArtifact:
    id: int
    name: str
    run: str
    job: str
    blob: bytearray = field(default_factory=bytearray)
    blocks: dict[str, bytes] = field(default_factory=dict)
    finalized: bool = False
    size: int = 0
    digest: str = ""
    expires_at: str | None = None
    mime_type: str = ""


class ResultsServer(StubServer):
    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token
        self.artifacts: dict[int, StoredArtifact] = {}
        self.errors: list[str] = []

    def _twirp_error(self, status: int, code: str, msg: str) -> Reply:
        self.errors.append(f"{code}: {msg}")
        return Reply(status, {"code": code, "msg": msg})

    def handle(self, request: Recorded) -> Reply:
        if request.path.startswith(SERVICE):
            if request.headers.get("authorization") != f"Bearer {self.token}":
                return self._twirp_error(401, "unauthenticated", "bad bearer token")
            if not request.headers.get("content-type", "").startswith("application/json"):
                return self._twirp_error(415, "malformed", "twirp JSON needs application/json")
            method = request.path[len(SERVICE) :]
            handler = getattr(self, f"twirp_{method}", None)
            if handler is None:
                return self._twirp_error(404, "bad_route", method)
            body = request.json()
            if (
                body.get("workflow_run_backend_id") != RUN_ID
                or body.get("workflow_job_run_backend_id") != JOB_ID
            ):
                return self._twirp_error(400, "invalid_argument", "wrong backend ids")
            reply: Reply = handler(body)
            return reply
        if request.path.startswith("/blob/"):
            return self.blob(request)
        if request.path.startswith("/download/"):
            artifact = self.artifacts.get(int(request.path.rsplit("/", 1)[-1]))
            if artifact is None or not artifact.finalized:
                return Reply(404, raw=b"not found")
            return Reply(200, raw=bytes(artifact.blob), headers={"Content-Type": "application/zip"})
        return Reply(404, raw=b"")

    # ---------------------------------------------------------------- twirp

    def twirp_CreateArtifact(self, body: dict[str, Any]) -> Reply:
        if body.get("version") != 7:
            return self._twirp_error(400, "invalid_argument", "version must be 7")
        name = body.get("name", "")
        if any(a.name == name and a.run == RUN_ID for a in self.artifacts.values()):
            return self._twirp_error(409, "already_exists", f"artifact {name} exists")
        artifact_id = 1000 + len(self.artifacts) + 1
        mime = body.get("mime_type")
        self.artifacts[artifact_id] = StoredArtifact(
            artifact_id,
            name,
            RUN_ID,
            JOB_ID,
            expires_at=body.get("expires_at"),
            mime_type=mime if isinstance(mime, str) else "",
        )
        return Reply(
            200, {"ok": True, "signed_upload_url": f"{self.url}/blob/{artifact_id}?sig=s3cr3t&sv=1"}
        )

    def twirp_FinalizeArtifact(self, body: dict[str, Any]) -> Reply:
        artifact = next((a for a in self.artifacts.values() if a.name == body.get("name")), None)
        if artifact is None:
            return self._twirp_error(404, "not_found", "no such artifact")
        size = body.get("size")
        if not isinstance(size, str) or not size.isdigit():
            return self._twirp_error(400, "invalid_argument", "size must be an int64 string")
        if int(size) != len(artifact.blob):
            return self._twirp_error(
                400, "invalid_argument", f"size {size} does not match uploaded {len(artifact.blob)}"
            )
        digest = "sha256:" + hashlib.sha256(artifact.blob).hexdigest()
        if body.get("hash", digest) != digest:
            return self._twirp_error(400, "invalid_argument", "hash does not match the upload")
        artifact.finalized, artifact.size, artifact.digest = True, int(size), digest
        return Reply(200, {"ok": True, "artifact_id": str(artifact.id)})

    def twirp_ListArtifacts(self, body: dict[str, Any]) -> Reply:
        found = [a for a in self.artifacts.values() if a.finalized]
        if body.get("name_filter"):
            found = [a for a in found if a.name == body["name_filter"]]
        if body.get("id_filter"):
            found = [a for a in found if str(a.id) == str(body["id_filter"])]
        return Reply(
            200,
            {
                "artifacts": [
                    {
                        "workflow_run_backend_id": a.run,
                        "workflow_job_run_backend_id": a.job,
                        "database_id": str(a.id),
                        "name": a.name,
                        "size": str(a.size),
                        "created_at": "2026-11-26T10:00:00Z",
                        "digest": a.digest,
                    }
                    for a in found
                ]
            },
        )

    def twirp_GetSignedArtifactURL(self, body: dict[str, Any]) -> Reply:
        artifact = next(
            (a for a in self.artifacts.values() if a.name == body.get("name") and a.finalized), None
        )
        if artifact is None:
            return self._twirp_error(404, "not_found", "no such artifact")
        return Reply(200, {"signed_url": f"{self.url}/download/{artifact.id}"})

    # ---------------------------------------------------------------- blob

    def blob(self, request: Recorded) -> Reply:
        if request.method != "PUT":
            return Reply(405, raw=b"")
        artifact = self.artifacts.get(int(request.path.rsplit("/", 1)[-1]))
        if artifact is None or request.query.get("sig") != ["s3cr3t"]:
            return Reply(
                403,
                raw=b"<Error><Code>AuthenticationFailed</Code></Error>",
                headers={"Content-Type": "application/xml"},
            )
        comp = request.query.get("comp", [""])[0]
        headers = {
            "ETag": '"0x8D"',
            "Last-Modified": "Thu, 26 Nov 2026 10:00:00 GMT",
            "x-ms-request-id": "req-1",
            "x-ms-version": "2024-11-04",
            "Content-Type": "application/xml",
        }
        if comp == "block":
            block_id = request.query["blockid"][0]
            artifact.blocks[block_id] = request.body
            return Reply(201, raw=b"", headers=headers)
        if comp == "blocklist":
            listing = ElementTree.fromstring(request.body)
            ids = [element.text or "" for element in listing]
            if any(i not in artifact.blocks for i in ids):
                return Reply(
                    400,
                    raw=b"<Error><Code>InvalidBlockList</Code></Error>",
                    headers={"Content-Type": "application/xml"},
                )
            artifact.blob = bytearray(b"".join(artifact.blocks[i] for i in ids))
            return Reply(201, raw=b"", headers=headers)
        if request.headers.get("x-ms-blob-type") != "BlockBlob":
            return Reply(
                400,
                raw=b"<Error><Code>MissingRequiredHeader</Code></Error>",
                headers={"Content-Type": "application/xml"},
            )
        artifact.blob = bytearray(request.body)
        return Reply(201, raw=b"", headers=headers)
