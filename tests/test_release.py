"""The release's action.yml: scripts/release_action.py points main's action.yml at the
pushed image by digest, and changes nothing else."""

from __future__ import annotations

import difflib
import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.runner import ROOT

SCRIPT = ROOT / "scripts" / "release_action.py"
# A well-formed digest for the test (the sha256 of some bytes), not a published image.
DIGEST = "sha256:" + hashlib.sha256(b"planner-action test image").hexdigest()
IMAGE = f"ghcr.io/octo-org/planner-action@{DIGEST}"


def release(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, check=False, timeout=60
    )


def test_the_release_action_yml_differs_only_in_its_image(tmp_path: Path) -> None:
    done = release(IMAGE, str(ROOT / "action.yml"))
    assert done.returncode == 0, done.stderr
    released = tmp_path / "action.yml"
    released.write_bytes(done.stdout)

    main = (ROOT / "action.yml").read_text(encoding="utf-8").splitlines()
    changed = [
        line
        for line in difflib.unified_diff(main, done.stdout.decode().splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert changed == ["-  image: Dockerfile", f"+  image: docker://{IMAGE}"]
    meta = yaml.safe_load(done.stdout)
    assert meta["runs"] == {"using": "docker", "image": f"docker://{IMAGE}"}

    schema = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.github-actions",
            str(released),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert schema.returncode == 0, schema.stdout + schema.stderr


def test_main_keeps_building_from_the_dockerfile() -> None:
    """`uses: ./` in the self-test builds what is checked out; releases pin the image."""
    meta = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert meta["runs"] == {"using": "docker", "image": "Dockerfile"}


def test_crlf_and_docker_prefix_are_kept(tmp_path: Path) -> None:
    source = tmp_path / "action.yml"
    source.write_bytes((ROOT / "action.yml").read_bytes().replace(b"\n", b"\r\n"))
    done = release(f"docker://{IMAGE}", str(source))
    assert done.returncode == 0, done.stderr
    assert done.stdout.count(b"\r\n") == source.read_bytes().count(b"\r\n")
    assert f"  image: docker://{IMAGE}\r\n".encode() in done.stdout


@pytest.mark.parametrize(
    ("reference", "needle"),
    [
        ("ghcr.io/octo-org/planner-action:1.2.3", "not an image pinned by digest"),
        ("ghcr.io/Octo-Org/planner-action@" + DIGEST, "lower case"),
        ("ghcr.io/octo-org/planner-action@sha256:abc", "64 hex digits"),
        (f"{IMAGE}\n  using: node20", "not an image pinned by digest"),
    ],
)
def test_a_reference_not_pinned_by_digest_is_refused(reference: str, needle: str) -> None:
    done = release(reference, str(ROOT / "action.yml"))
    assert done.returncode == 2
    assert done.stdout == b""
    message = done.stderr.decode()
    assert needle in message and message.count("\n") == 1


def test_an_action_yml_already_released_is_refused(tmp_path: Path) -> None:
    released = tmp_path / "action.yml"
    released.write_bytes(release(IMAGE, str(ROOT / "action.yml")).stdout)
    done = release(IMAGE, str(released))
    assert done.returncode == 2
    assert "has 0 'image: Dockerfile' lines" in done.stderr.decode()
