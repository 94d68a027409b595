"""The real container build, run the way the runner runs a container action
(../shared/CONTAINER-TESTING.md): the contract it writes equals the one the same
request gives outside the container."""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.runner import ROOT, declared_inputs, parse_output_file, run_action, webhook

pytestmark = pytest.mark.container

# A local stand-in for python:3.12-slim, under a name of its own so that it never shadows the
# public image in later local builds (../shared/CONTAINER-TESTING.md).
BASE = "localhost/planner-base:test"
IMAGE = "localhost/planner-action:test"
CA = "/etc/ssl/certs/ca-certificates.crt"


def sh(script: str, timeout: int = 900) -> subprocess.CompletedProcess[str]:
    """Run podman in a private mount namespace, where the hybrid cgroup mount is gone."""
    return subprocess.run(
        [
            "unshare",
            "-m",
            "--propagation",
            "private",
            "bash",
            "-c",
            "umount /sys/fs/cgroup/unified 2>/dev/null; " + script,
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def ensure_base() -> None:
    if subprocess.run(["podman", "image", "exists", BASE], check=False).returncode == 0:
        return
    rootfs = Path(tempfile.mkdtemp(prefix="planner-rootfs-"))
    try:
        subprocess.run(
            [
                "debootstrap",
                "--variant=minbase",
                "--include=python3,python3-venv",
                "bookworm",
                str(rootfs),
            ],
            check=True,
            capture_output=True,
            timeout=900,
        )
        with subprocess.Popen(["tar", "-C", str(rootfs), "-c", "."], stdout=subprocess.PIPE) as tar:
            subprocess.run(
                ["podman", "import", "-", BASE],
                stdin=tar.stdout,
                check=True,
                capture_output=True,
                timeout=600,
            )
        assert tar.returncode == 0, "tar of the stand-in root file system failed"
    finally:
        shutil.rmtree(rootfs, ignore_errors=True)


@pytest.fixture(scope="module")
def image() -> str:
    for tool in ("podman", "debootstrap", "unshare"):
        if shutil.which(tool) is None:
            raise RuntimeError(
                f"{tool} is missing: scripts/test installs podman, buildah and "
                "debootstrap (apt-get) before the container tests"
            )
    ensure_base()
    build = sh(
        f"podman build --pull=never --network host -v {CA}:{CA}:ro "
        f"--build-arg BASE={BASE} -t {IMAGE} {ROOT}"
    )
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    return IMAGE


def run_container(
    tmp: Path,
    payload: dict,
    workspace: Path | None = None,
    event: str = "issues",
    mode: str = "plan",
) -> tuple[int, str, dict[str, str], Path]:
    workflow, commands = tmp / "wf", tmp / "fc"
    for folder in (workflow, commands):
        folder.mkdir(parents=True)
    if workspace is None:
        workspace = tmp / "ws"
        shutil.copytree(ROOT / "examples" / "workspace", workspace)
    (workflow / "event.json").write_text(json.dumps(payload))
    (commands / "set_output_ab12").write_text("")
    (commands / "step_summary_ab12").write_text("")
    env = {f"INPUT_{k.upper()}": v for k, v in declared_inputs().items()}
    env["INPUT_GITHUB-TOKEN"] = ""
    env["INPUT_MODE"] = mode
    env.update(
        {
            "GITHUB_WORKSPACE": "/github/workspace",
            "GITHUB_EVENT_PATH": "/github/workflow/event.json",
            "GITHUB_EVENT_NAME": event,
            "GITHUB_ACTIONS": "true",
            "CI": "true",
            "GITHUB_OUTPUT": "/github/file_commands/set_output_ab12",
            "GITHUB_STEP_SUMMARY": "/github/file_commands/step_summary_ab12",
            "GITHUB_REPOSITORY": "Codertocat/Hello-World",
            "HOME": "/github/home",
        }
    )
    env_file = tmp / "env.list"
    env_file.write_text("".join(f"{k}={v}\n" for k, v in env.items()))
    done = sh(
        "podman run --rm --network none --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 "
        f"--workdir /github/workspace -v {workspace}:/github/workspace "
        f"-v {workflow}:/github/workflow -v {commands}:/github/file_commands "
        f"--env-file {env_file} {IMAGE}",
        timeout=300,
    )
    outputs = parse_output_file((commands / "set_output_ab12").read_text())
    return done.returncode, done.stdout + done.stderr, outputs, workspace


def test_container_plans_like_the_package_does(image: str, tmp_path: Path) -> None:
    payload = webhook("issues", "opened")
    payload["issue"]["body"] = (ROOT / "examples" / "issue-42.md").read_text()
    code, log, outputs, workspace = run_container(tmp_path / "container", payload)
    assert code == 0, log
    assert outputs["focus"] == "M1" and outputs["valid"] == "true"
    inside = (workspace / outputs["contract"]).read_bytes()

    local_ws = tmp_path / "local"
    shutil.copytree(ROOT / "examples" / "workspace", local_ws)
    local = run_action(tmp_path / "outside", "issues", payload, workspace=local_ws)
    assert local.code == 0
    assert inside == (local_ws / local.outputs["contract"]).read_bytes()
    assert (workspace / "IMPLEMENTATION_PLAN.md").read_bytes() == (
        local_ws / "IMPLEMENTATION_PLAN.md"
    ).read_bytes()
    assert "::warning title=seed-7-feature-first" in log


def test_image_runs_as_root_with_the_exec_form_entrypoint(image: str) -> None:
    done = subprocess.run(
        ["podman", "image", "inspect", image], capture_output=True, text=True, check=True
    )
    config = json.loads(done.stdout)[0]["Config"]
    assert config["Entrypoint"] == ["/opt/venv/bin/python3", "/opt/planner/entrypoint.py"]
    assert config.get("User", "") in ("", "root", "0")
    assert "PYTHONUNBUFFERED=1" in config["Env"]
    assert config["Labels"]["org.opencontainers.image.title"] == "planner-action"


def test_check_mode_works_in_the_image_without_git(image: str, tmp_path: Path) -> None:
    """The image carries no git binary: the check mode reads the repository with dulwich."""
    payload = webhook("issues", "opened")
    payload["issue"]["body"] = (ROOT / "examples" / "issue-42.md").read_text()
    code, log, outputs, workspace = run_container(tmp_path / "plan", payload)
    assert code == 0, log

    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-C", str(workspace), "-c", "user.name=t", "-c", "user.email=t@e", *args],
            check=True,
            capture_output=True,
        )

    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-qm", "plan")
    git("checkout", "-q", "-b", "agent/M1-T1")
    (workspace / "api").mkdir()
    (workspace / "api" / "server.go").write_text("package api\n")
    git("add", "-A")
    git("commit", "-qm", "outside the boundary")
    pr = webhook("pull_request", "opened")
    pr["pull_request"]["head"]["ref"] = "agent/M1-T1"
    pr["pull_request"]["base"]["ref"] = "main"
    for side, commit in (("base", "main"), ("head", "HEAD")):
        pr["pull_request"][side]["sha"] = subprocess.run(
            ["git", "-C", str(workspace), "rev-parse", commit],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    code, log, outputs, _ = run_container(
        tmp_path / "check", pr, workspace=workspace, event="pull_request", mode="check"
    )
    assert code == 1, log
    assert [f["rule"] for f in json.loads(outputs["findings"])] == ["check-diff-boundary"]
    which = sh(
        "podman run --rm --network none --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 "
        f"--entrypoint /bin/sh {image} -c 'command -v git || echo none'"
    )
    assert which.stdout.strip() == "none"


def test_the_image_ships_its_bytecode(image: str) -> None:
    """Compiled at build time: with PYTHONDONTWRITEBYTECODE set, a module without its .pyc
    would be compiled again on every run."""
    script = (
        "import importlib.util, pathlib\n"
        "root = pathlib.Path('/opt/planner/planner')\n"
        "sources = sorted(root.rglob('*.py'))\n"
        "missing = [str(p) for p in sources "
        "if not pathlib.Path(importlib.util.cache_from_source(str(p))).is_file()]\n"
        "print(len(sources), missing)\n"
    )
    done = sh(
        "podman run --rm --network none --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 "
        f"--entrypoint /opt/venv/bin/python3 {image} -c {shlex.quote(script)}"
    )
    assert done.returncode == 0, done.stdout + done.stderr
    count, missing = done.stdout.split(" ", 1)
    assert int(count) > 20 and missing.strip() == "[]"
