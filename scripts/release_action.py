#!/usr/bin/env python3
"""Prints action.yml as a release ships it: the same file, with its one
``image: Dockerfile`` line pointing at the image pushed for the release, by digest.

    python3 scripts/release_action.py ghcr.io/OWNER/planner-action@sha256:DIGEST [action.yml]

main keeps ``image: Dockerfile`` (so ``uses: ./`` builds what is checked out); a release
commit holds this file, so a workflow that uses a release pulls the image instead of
building it. Standard library only: it runs on a bare runner before any install.
Exit status 2, with one line saying why, for a malformed reference or an action.yml
that does not build from its Dockerfile.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

# registry/path@sha256:<64 hex>: a lowercase repository name, pinned by content, never a tag.
REFERENCE = re.compile(
    r"[a-z0-9]+(?:[.-][a-z0-9]+)*(?::[0-9]+)?(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)+"
    r"@sha256:[0-9a-f]{64}"
)
IMAGE_LINE = re.compile(r"^(?P<indent>[ \t]+)image:[ \t]*['\"]?Dockerfile['\"]?[ \t]*$")


class ReleaseError(ValueError):
    """A reference or action.yml the release cannot be made from; the message says why."""


def pin_image(action_yml: str, reference: str) -> str:
    """action.yml with its ``image: Dockerfile`` line replaced by ``docker://reference``;
    every other byte is kept."""
    reference = reference.removeprefix("docker://")
    if not REFERENCE.fullmatch(reference):
        raise ReleaseError(
            f"{reference!r} is not an image pinned by digest "
            "(expected registry/owner/name@sha256:<64 hex digits>, lower case)"
        )
    lines = action_yml.splitlines(keepends=True)
    found = [i for i, line in enumerate(lines) if IMAGE_LINE.match(line.rstrip("\r\n"))]
    if len(found) != 1:
        raise ReleaseError(
            f"action.yml has {len(found)} 'image: Dockerfile' lines; a release is made "
            "from main's action.yml, which has exactly one"
        )
    (index,) = found
    line = lines[index]
    match = IMAGE_LINE.match(line.rstrip("\r\n"))
    assert match is not None
    ending = line[len(line.rstrip("\r\n")) :]
    lines[index] = f"{match['indent']}image: docker://{reference}{ending}"
    return "".join(lines)


def main(argv: list[str]) -> int:
    if len(argv) not in (1, 2):
        print(
            "usage: release_action.py REGISTRY/OWNER/NAME@sha256:DIGEST [action.yml]",
            file=sys.stderr,
        )
        return 2
    path = Path(argv[1] if len(argv) == 2 else "action.yml")
    try:
        text = path.read_bytes().decode("utf-8")
        sys.stdout.buffer.write(pin_image(text, argv[0]).encode("utf-8"))
    except OSError as exc:
        print(f"release_action.py: cannot read {path}: {exc.strerror}", file=sys.stderr)
        return 2
    except ReleaseError as exc:
        print(f"release_action.py: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
