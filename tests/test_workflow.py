"""Workflow commands, outputs and the step summary, as the runner reads them."""

from __future__ import annotations

import io
import uuid
from pathlib import Path

import pytest

from planner.action import workflow as wf
from planner.action.workflow import OutputError, Workflow, escape_data, escape_property
from planner.model import Finding, Location
from tests.runner import parse_output_file


def test_escaping_matches_the_toolkit() -> None:
    assert escape_data("50%\r\nnext") == "50%25%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_annotation_properties_and_message_are_escaped() -> None:
    out = io.StringIO()
    Workflow(out).message("warning", "line1\n::error::x", title="t: a, b", file="a,b.md", line=3)
    assert out.getvalue() == (
        "::warning title=t%3A a%2C b,file=a%2Cb.md,line=3::line1%0A::error::x\n"
    )


def test_annotations_are_capped_per_severity() -> None:
    out = io.StringIO()
    findings = [Finding(rule="r", severity="warning", message=f"m{i}") for i in range(13)]
    findings.append(
        Finding(rule="e", severity="error", message="boom", location=Location(task="M1-T1"))
    )
    left = Workflow(out).annotate(findings)
    assert left == {"warning": 3}
    lines = out.getvalue().splitlines()
    assert len(lines) == 11 and lines[-1] == "::error title=e (M1-T1)::boom"


def test_outputs_use_a_heredoc_the_runner_parses(tmp_path: Path) -> None:
    target = tmp_path / "out"
    flow = Workflow(io.StringIO(), output_file=target)
    flow.set_output("matrix", '{"include": []}')
    flow.set_output("findings", "line one\nname=value\nfocus<<EOF")
    assert parse_output_file(target.read_text()) == {
        "matrix": '{"include": []}',
        "findings": "line one\nname=value\nfocus<<EOF",
    }


def test_a_value_holding_the_delimiter_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fixed = uuid.UUID(int=7)
    monkeypatch.setattr(wf.uuid, "uuid4", lambda: fixed)
    flow = Workflow(io.StringIO(), output_file=tmp_path / "out")
    with pytest.raises(OutputError):
        flow.set_output("focus", f"x\nghadelimiter_{fixed}\ninjected=1")
    assert (tmp_path / "out").exists() is False


def test_secrets_are_masked_and_redacted(tmp_path: Path) -> None:
    out = io.StringIO()
    flow = Workflow(out, output_file=tmp_path / "o", summary_file=tmp_path / "s")
    flow.mask("sekrit-token")
    flow.message("error", "failed with sekrit-token")
    flow.set_output("findings", "sekrit-token")
    flow.summary("has sekrit-token")
    assert out.getvalue() == "::add-mask::sekrit-token\n::error::failed with ***\n"
    assert "sekrit" not in (tmp_path / "o").read_text() + (tmp_path / "s").read_text()


def test_summary_stays_under_the_runner_limit(tmp_path: Path) -> None:
    flow = Workflow(io.StringIO(), summary_file=tmp_path / "s")
    flow.summary("é" * 2_000_000)
    size = len((tmp_path / "s").read_bytes())
    assert size <= wf.SUMMARY_LIMIT + 100
    assert (tmp_path / "s").read_text().endswith("_Summary cut at the runner's size limit._\n")
