"""PRODUCT.md §11 as a property: whatever the title and body, the log holds only the
planner's own workflow commands and the outputs only the declared names."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.action.main import run
from planner.action.settings import Settings
from planner.model import Issue
from tests.runner import ROOT, parse_output_file

DECLARED = set(yaml.safe_load((ROOT / "action.yml").read_text())["outputs"])
OURS = ("::error ", "::warning ", "::notice ", "::error::", "::warning::", "::notice::")
pieces = st.sampled_from(
    list(":%\r\n,=<>@`#-[]x ") + ["::", "%0A", "<<EOF", "ghadelimiter_", "::set-output name=a::"]
)
nasty = st.lists(pieces, max_size=40).map("".join)
line = st.one_of(
    nasty,
    st.sampled_from(
        ["## Tasks", "- [ ] Add a in a/", "  - risk: ", "## Open questions", "- ", "### M1: "]
    ),
)


@given(title=nasty, lines=st.lists(line, max_size=12))
@settings(max_examples=80, suppress_health_check=[HealthCheck.too_slow])
def test_no_injection_whatever_the_request(title: str, lines: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        output = root / "out"
        output.write_text("")
        out = io.StringIO()
        config = Settings(
            workspace=root / "ws",
            output_file=output,
            on_runner=True,
            upload_artifact=False,
            comment=False,
        )
        run(
            config,
            out,
            github=lambda s: None,
            artifacts=lambda s: None,
            issue=Issue(number=3, title=title, body="\n".join(lines)),
        )
        for logged in out.getvalue().splitlines():
            assert logged.startswith(OURS) or not logged.startswith("::"), logged
            if logged.startswith("::"):
                command, _, message = logged[2:].partition("::")
                assert "\r" not in message and "\n" not in message
        assert set(parse_output_file(output.read_text())) <= DECLARED
