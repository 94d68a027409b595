"""``planner plan|validate|check|schema``: the same core, offline, from a terminal."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

from planner import __version__, schemas
from planner.action.config import load_config
from planner.action.events import issue_from_payload, issue_from_text
from planner.action.main import EXIT_USAGE, run
from planner.action.settings import Settings
from planner.action.workspace import Workspace
from planner.model import FAIL_ON, SCHEMA_MODELS, Issue


def _issue_from_file(path: Path, number: int | None, title: str | None) -> Issue:
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() == ".json":
        data = json.loads(text)
        issue = issue_from_payload(data.get("issue") if isinstance(data, dict) else None)
        if issue is None:
            raise ValueError(f"{path} is JSON but holds no 'issue' object (an issues event)")
        return issue.model_copy(
            update={k: v for k, v in {"number": number, "title": title}.items() if v}
        )
    return issue_from_text(text, path.stem, number, title)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="planner", description=__doc__)
    parser.add_argument("--version", action="version", version=f"planner {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--workspace",
            type=Path,
            default=Path("."),
            help="the repository folder (default: here)",
        )
        p.add_argument(
            "--config", default=".github/planner.yml", help="config file, relative to the workspace"
        )
        p.add_argument("--fail-on", choices=FAIL_ON, default="error")
        p.add_argument("--output-dir", help="where contracts live (default .agent)")

    p_plan = sub.add_parser("plan", help="plan an issue from a Markdown file or event payload")
    p_plan.add_argument("request", type=Path, help="issue body (.md) or issues event (.json)")
    p_plan.add_argument("--issue-number", type=int, help="the issue's number (default 1)")
    p_plan.add_argument("--title", help="the issue's title (default: the file's '# ' heading)")
    p_plan.add_argument("--draft", help="a draft file, relative to the workspace")
    p_plan.add_argument("--plan-file", help="default IMPLEMENTATION_PLAN.md")
    p_plan.add_argument("--specs-dir", help="default specs")
    common(p_plan)

    p_val = sub.add_parser("validate", help="check contract and fanout files")
    p_val.add_argument("--issue-number", type=int)
    common(p_val)

    p_check = sub.add_parser("check", help="hold a branch's diff to the contract")
    p_check.add_argument("--event", type=Path, required=True, help="a pull_request payload")
    p_check.add_argument("--base-ref", required=True, help="e.g. origin/main")
    common(p_check)

    p_schema = sub.add_parser("schema", help="print a JSON Schema")
    p_schema.add_argument("name", choices=tuple(SCHEMA_MODELS))
    return parser


def main(argv: list[str] | None = None, out: TextIO | None = None) -> int:
    stream = out or sys.stdout
    args = build_parser().parse_args(argv)
    if args.command == "schema":
        stream.write(schemas.render(args.name))
        return 0
    settings = Settings(
        mode=args.command,
        workspace=args.workspace,
        config=args.config,
        config_explicit=args.config != ".github/planner.yml",
        fail_on=args.fail_on,
        output_dir=args.output_dir,
        issue_number=getattr(args, "issue_number", None),
        plan_file=getattr(args, "plan_file", None),
        specs_dir=getattr(args, "specs_dir", None),
        draft=getattr(args, "draft", None),
        base_ref=getattr(args, "base_ref", None),
        event_name="pull_request" if args.command == "check" else None,
        event_path=getattr(args, "event", None),
        upload_artifact=False,
        comment=False,
    )
    issue = None
    if args.command == "plan":
        try:
            issue = _issue_from_file(args.request, args.issue_number, args.title)
        except (OSError, ValueError) as exc:
            stream.write(f"error: cannot read the request {args.request}: {exc}\n")
            return EXIT_USAGE
    code = run(settings, stream, github=lambda s: None, artifacts=lambda s: None, issue=issue)
    if args.command == "validate" and code == 0 and args.fail_on != "never":
        stream.write(_validated(settings) + "\n")
    return code


def _validated(settings: Settings) -> str:
    """The one line ``planner validate`` prints when the contracts pass."""
    out_dir = load_config(Workspace(settings.workspace), settings).paths.output_dir
    count = (
        1
        if settings.issue_number
        else len(Workspace(settings.workspace).list_files(out_dir, "planning-output-", ".json"))
    )
    return (
        f"planner validate: {count} contract(s) in {out_dir}, no finding at or above "
        f"'{settings.fail_on}'."
    )


if __name__ == "__main__":
    sys.exit(main())
