"""``python -m planner.schemas``: rewrite the committed JSON Schemas from the models, then
the validators generated from them, after a change to ``planner/model.py``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from planner import schemas

HERE = Path(schemas.__file__).parent


def _write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all."""
    part = path.with_name(path.name + ".part")
    part.write_text(text, encoding="utf-8")
    os.replace(part, path)


def main(folder: Path = HERE) -> int:
    """Write the schemas and their validators into ``folder`` (the package's own)."""
    for name in ("contract", "fanout", "config"):
        _write(folder / schemas.file_name(name), schemas.render(name))
    # The validators are generated from the schemas just written, not the ones loaded.
    schemas.load.cache_clear()
    schemas.draft_schema.cache_clear()
    (folder / "validators").mkdir(exist_ok=True)
    for name in schemas.VALIDATED:
        _write(folder / schemas.validator_file(name), schemas.validator_source(name))
    print(f"wrote the schemas and their validators in {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
