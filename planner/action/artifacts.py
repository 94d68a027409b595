"""Uploading the outputs as a workflow artifact (the v4 results-service protocol that
``@actions/artifact`` speaks), so ``actions/download-artifact`` can fetch them.

``CreateArtifact`` -> the zip to the signed blob URL -> ``FinalizeArtifact``, as
Twirp JSON with the runtime token. Zips up to ``SINGLE_PUT_LIMIT`` go in one Azure
Put Blob; larger ones in blocks of ``BLOCK_SIZE`` and a block list.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import quote, urlsplit

if TYPE_CHECKING:
    import requests

from planner.action.settings import SettingsError, validate_artifact_name
from planner.core.findings import finding
from planner.model import Finding

SERVICE = "twirp/github.actions.results.api.v1.ArtifactService"
SINGLE_PUT_LIMIT = 8 * 1024 * 1024
BLOCK_SIZE = 4 * 1024 * 1024
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class ArtifactError(RuntimeError):
    """An upload that failed for good; the message says what to do."""

    def __init__(self, message: str, *, conflict: bool = False) -> None:
        super().__init__(message)
        self.conflict = conflict


@dataclass(frozen=True)
class Uploaded:
    id: str
    size: int
    digest: str


class ArtifactPort(Protocol):
    def upload(
        self, name: str, files: dict[str, bytes], retention_days: int | None
    ) -> Uploaded: ...


def upload_files(
    port: ArtifactPort | None,
    written: dict[str, str],
    name: str,
    retention_days: int | None,
    retention_cap: int | None,
) -> tuple[Uploaded | None, list[Finding]]:
    """Upload the files just rendered (from memory: they are not read back) as artifact
    ``name``, kept no longer than the repository allows (``retention_cap``). Never
    raises: no port or a failed upload is a warning, and the files stay in the
    workspace."""
    if port is None:
        return None, [
            finding(
                "artifact-not-uploaded",
                "No ACTIONS_RUNTIME_TOKEN/ACTIONS_RESULTS_URL (local use, or a runner "
                "that does not pass them): the artifact was not uploaded. The files are "
                "in the workspace.",
            )
        ]
    retention = retention_days
    if retention and retention_cap:
        retention = min(retention, retention_cap)
    try:
        validate_artifact_name(name)
        files = {path: text.encode("utf-8") for path, text in written.items()}
        return port.upload(name, files, retention), []
    except (ArtifactError, SettingsError) as exc:
        return None, [
            finding(
                "artifact-upload",
                f"The artifact was not uploaded: {exc}. The files are in the workspace.",
            )
        ]


def build_zip(files: dict[str, bytes]) -> bytes:
    """A deterministic zip: sorted entries, fixed timestamps and permissions, so the
    same content always gives the same bytes (and digest)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16
            info.create_system = 3
            archive.writestr(info, files[name], compresslevel=6)
    return buffer.getvalue()


def backend_ids(runtime_token: str) -> dict[str, str]:
    """Run and job backend ids from the runtime token's ``scp`` claim (not verified:
    the results service checks the token itself)."""
    parts = runtime_token.split(".")
    if len(parts) < 2:
        raise ArtifactError("ACTIONS_RUNTIME_TOKEN is not a JWT; the artifact was not uploaded")
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload))
    except (ValueError, TypeError) as exc:
        raise ArtifactError("ACTIONS_RUNTIME_TOKEN has an unreadable payload") from exc
    for scope in str(claims.get("scp", "")).split(" "):
        pieces = scope.split(":")
        if len(pieces) == 3 and pieces[0] == "Actions.Results":
            return {"workflow_run_backend_id": pieces[1], "workflow_job_run_backend_id": pieces[2]}
    raise ArtifactError(
        "ACTIONS_RUNTIME_TOKEN carries no Actions.Results scope; the runner "
        "did not grant artifact access to this step"
    )


class ResultsClient:
    """ArtifactPort over HTTP, with bounded retries on 429, 5xx and connection errors."""

    def __init__(
        self,
        results_url: str,
        runtime_token: str,
        *,
        attempts: int = 5,
        backoff: float = 3.0,
        timeout: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        parts = urlsplit(results_url)
        self.base = f"{parts.scheme}://{parts.netloc}"
        self.token = runtime_token
        self.attempts = attempts
        self.backoff = backoff
        self.timeout = timeout
        self._sleep = sleep
        self._now = now
        import requests  # here, not at the top: planning offline never uploads

        self.session = requests.Session()

    def _retry(self, what: str, send: Callable[[], requests.Response]) -> requests.Response:
        import requests

        delay = self.backoff
        for attempt in range(1, self.attempts + 1):
            try:
                response = send()
            except (requests.ConnectionError, requests.Timeout) as exc:
                if attempt == self.attempts:
                    raise ArtifactError(
                        f"{what}: the service did not answer ({type(exc).__name__})"
                    ) from None
            else:
                if response.status_code != 429 and response.status_code < 500:
                    return response
                if attempt == self.attempts:
                    return response
            self._sleep(delay)
            delay *= 1.5
        raise AssertionError("unreachable")  # pragma: no cover

    def _twirp(self, method: str, body: dict[str, Any]) -> dict[str, Any]:
        url = f"{self.base}/{SERVICE}/{method}"
        response = self._retry(
            method,
            lambda: self.session.post(
                url,
                json=body,
                timeout=self.timeout,
                headers={
                    "Authorization": f"Bearer {self.token}",
                    "Content-Type": "application/json",
                    "User-Agent": "planner-action",
                },
            ),
        )
        if response.status_code == 409:
            raise ArtifactError(
                f"{method}: an artifact named '{body.get('name')}' already "
                "exists in this workflow run; set the artifact-name input to "
                "another name (e.g. planning-N-${{ github.run_attempt }})",
                conflict=True,
            )
        if response.status_code != 200:
            raise ArtifactError(
                f"{method} failed with HTTP {response.status_code}: {response.text[:200]}"
            )
        try:
            data: dict[str, Any] = response.json()
        except ValueError as exc:
            raise ArtifactError(f"{method} answered with something that is not JSON") from exc
        if data.get("ok") is False:
            raise ArtifactError(f"{method} answered ok=false")
        return data

    def _put_blob(self, url: str, data: bytes) -> None:
        def put(target: str, body: bytes, headers: dict[str, str]) -> None:
            response = self._retry(
                "Uploading the artifact",
                lambda: self.session.put(target, data=body, headers=headers, timeout=self.timeout),
            )
            if response.status_code not in (200, 201):
                raise ArtifactError(
                    f"Uploading the artifact failed with HTTP "
                    f"{response.status_code}: {response.text[:200]}"
                )

        joiner = "&" if "?" in url else "?"
        if len(data) <= SINGLE_PUT_LIMIT:
            put(url, data, {"x-ms-blob-type": "BlockBlob", "Content-Type": "application/zip"})
            return
        ids: list[str] = []
        for index, start in enumerate(range(0, len(data), BLOCK_SIZE)):
            block_id = base64.b64encode(f"block-{index:06d}".encode()).decode()
            ids.append(block_id)
            put(
                f"{url}{joiner}comp=block&blockid={quote(block_id, safe='')}",
                data[start : start + BLOCK_SIZE],
                {},
            )
        listing = "".join(f"<Latest>{i}</Latest>" for i in ids)
        put(
            f"{url}{joiner}comp=blocklist",
            f'<?xml version="1.0" encoding="utf-8"?><BlockList>{listing}</BlockList>'.encode(),
            {"x-ms-blob-content-type": "application/zip"},
        )

    def upload(self, name: str, files: dict[str, bytes], retention_days: int | None) -> Uploaded:
        ids = backend_ids(self.token)
        archive = build_zip(files)
        create: dict[str, Any] = {**ids, "name": name, "version": 7, "mime_type": "application/zip"}
        if retention_days:
            expires = self._now() + timedelta(days=retention_days)
            create["expires_at"] = expires.strftime("%Y-%m-%dT%H:%M:%S.000Z")
        created = self._twirp("CreateArtifact", create)
        url = created.get("signed_upload_url")
        if not isinstance(url, str) or not url:
            raise ArtifactError("CreateArtifact gave no signed_upload_url")
        self._put_blob(url, archive)
        digest = "sha256:" + hashlib.sha256(archive).hexdigest()
        final = self._twirp(
            "FinalizeArtifact", {**ids, "name": name, "size": str(len(archive)), "hash": digest}
        )
        artifact_id = str(final.get("artifact_id", ""))
        if not artifact_id:
            raise ArtifactError("FinalizeArtifact gave no artifact_id")
        return Uploaded(id=artifact_id, size=len(archive), digest=digest)
