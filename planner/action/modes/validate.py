"""Validate mode: contracts and fanouts written by anyone, an agent included, held to
the schemas and to the planner's own rules."""

from __future__ import annotations

from planner.action.modes.run import Outcome, Run
from planner.core.findings import finding
from planner.core.plan import contract_file, fanout_file
from planner.model import Config, Finding


def validate(run: Run, config: Config) -> Outcome:
    from planner.core.check import validate_contract

    workspace = run.workspace
    out_dir = config.paths.output_dir
    if run.settings.issue_number:
        names = [contract_file(out_dir, run.settings.issue_number)]
    else:
        names = workspace.list_files(out_dir, "planning-output-", ".json")
    findings: list[Finding] = []
    checked = 0
    for name in names:
        text = workspace.read_text(name)
        if text is None:
            findings.append(
                finding(
                    "contract-missing", f"{name} does not exist; run mode 'plan' first.", file=name
                )
            )
            continue
        number = name.rsplit("-", 1)[-1].removesuffix(".json")
        fanout_name = fanout_file(out_dir, int(number)) if number.isdigit() else None
        fanout_text = workspace.read_text(fanout_name) if fanout_name else None
        findings += validate_contract(text, name, config, fanout_text, fanout_name)
        checked += 1
    if not names:
        findings.append(
            finding(
                "contract-missing",
                f"No planning-output-*.json in '{out_dir}' to validate; run mode 'plan' "
                "first, or set output-dir.",
            )
        )
    summary = f"## Validation\n\nChecked {checked} contract(s); {len(findings)} finding(s).\n"
    return Outcome(findings=findings, summary=summary)
