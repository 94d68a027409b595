"""The one place that speaks the runner's language: workflow commands, GITHUB_OUTPUT,
the step summary and masking. Outside a runner the same calls print plain lines."""

from __future__ import annotations

import uuid
from collections import Counter
from pathlib import Path
from typing import TextIO

from planner.model import Finding

ANNOTATIONS_PER_SEVERITY = 10  # the runner shows 10 of each type per step
ANNOTATION_LIMIT = 4_000  # characters; the runner cuts messages at 4,096
SUMMARY_LIMIT = 1_000_000  # bytes; a larger step summary is dropped
_COMMAND = {"error": "error", "warning": "warning", "notice": "notice"}


def escape_data(text: str) -> str:
    """Escape a workflow command's message (as actions/toolkit's command.ts does)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command's property value."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


class OutputError(RuntimeError):
    """An output value that cannot be written safely."""


class Workflow:
    """Writes to the runner: annotations and logs on ``out``, outputs and the summary
    to the files the runner names. With ``plain`` (local use) it prints readable lines."""

    def __init__(
        self,
        out: TextIO,
        output_file: Path | None = None,
        summary_file: Path | None = None,
        plain: bool = False,
    ) -> None:
        self.out = out
        self.output_file = output_file
        self.summary_file = summary_file
        self.plain = plain
        self.outputs: dict[str, str] = {}
        self._secrets: list[str] = []

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text

    def _write(self, line: str) -> None:
        self.out.write(self.redact(line) + "\n")
        self.out.flush()

    def mask(self, secret: str) -> None:
        """Ask the runner to hide ``secret`` in logs, and never print it ourselves."""
        if not secret:
            return
        self._secrets.append(secret)
        if not self.plain:
            self.out.write(f"::add-mask::{escape_data(secret)}\n")

    def log(self, message: str) -> None:
        """A plain log line of the planner's own (never request text)."""
        self._write(message)

    def message(
        self,
        severity: str,
        message: str,
        *,
        title: str | None = None,
        file: str | None = None,
        line: int | None = None,
    ) -> None:
        if self.plain:
            where = f"{file}:{line}: " if file and line else (f"{file}: " if file else "")
            self._write(f"{severity}: {where}{message}")
            return
        props = []
        if title:
            props.append(f"title={escape_property(title)}")
        if file:
            props.append(f"file={escape_property(file)}")
            if line:
                props.append(f"line={line}")
        prop_text = (" " + ",".join(props)) if props else ""
        self._write(f"::{_COMMAND[severity]}{prop_text}::{escape_data(message[:ANNOTATION_LIMIT])}")

    def annotate(self, findings: list[Finding]) -> Counter[str]:
        """One annotation per finding, at most 10 per severity on a runner; returns how
        many of each severity were left out."""
        shown: Counter[str] = Counter()
        left: Counter[str] = Counter()
        for f in findings:
            if not self.plain and shown[f.severity] >= ANNOTATIONS_PER_SEVERITY:
                left[f.severity] += 1
                continue
            shown[f.severity] += 1
            where = f.location.describe()
            if self.plain:
                prefix = f"{where}: " if where else ""
                self.message(f.severity, f"{prefix}[{f.rule}] {f.message}")
            else:
                title = f.rule + (f" ({where})" if where else "")
                self.message(
                    f.severity,
                    f.message,
                    title=title,
                    file=f.location.file,
                    line=f.location.line if f.location.file else None,
                )
        return left

    def set_output(self, name: str, value: str) -> None:
        """Append ``name`` to GITHUB_OUTPUT with a random heredoc delimiter."""
        value = self.redact(value)
        self.outputs[name] = value
        if self.output_file is None:
            if self.plain:
                return
            raise OutputError("GITHUB_OUTPUT is not set, so outputs cannot be passed on")
        delimiter = f"ghadelimiter_{uuid.uuid4()}"
        if delimiter in name or delimiter in value:
            raise OutputError(f"output {name} contains its own delimiter; refusing to write it")
        if "\n" in name or "\r" in name or "=" in name or "<" in name:
            raise OutputError(f"output name {name!r} is not a plain name")
        with self.output_file.open("a", encoding="utf-8") as handle:
            handle.write(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")

    def summary(self, markdown: str) -> None:
        """Append to the step summary, kept under the runner's 1 MiB limit."""
        if self.summary_file is None:
            return
        markdown = self.redact(markdown)
        data = markdown.encode("utf-8")
        if len(data) > SUMMARY_LIMIT:
            markdown = data[:SUMMARY_LIMIT].decode("utf-8", "ignore") + (
                "\n\n_Summary cut at the runner's size limit._\n"
            )
        with self.summary_file.open("a", encoding="utf-8") as handle:
            handle.write(markdown)
