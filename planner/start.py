"""How a ``planner`` process starts: what is set before the planner's modules are
imported, for the ``planner`` command, ``python -m planner`` and the container.

A small plan spends most of its time importing: pydantic building the models' schemas,
the reader's tables, markdown-it's rules. Two costs of that are for nothing here:

- The cycle collector walks the objects the imports make every few hundred allocations,
  yet all of them live as long as the process. It is off while the planner is imported,
  and what the imports made is then set aside (``gc.freeze``) so that no later
  collection walks it again; the run sets the collector as the run needs
  (``planner.action.main.allocating_in_bulk``). About 3 ms of an offline plan.
- pydantic looks for plugins (the ``pydantic`` entry points of every installed package)
  when it builds its first model, importing ``importlib.metadata`` to do so, which
  imports ``email``, ``zipfile``, ``csv`` and more: about 13 ms, to find nothing in the
  action's image. A plugin would also see every value the models validate, the token
  among them, and the action runs no code it did not choose (its image installs a
  hash-pinned lock). So pydantic's plugin loader is given, before pydantic first needs
  it, as one that finds no plugins (what ``PYDANTIC_DISABLE_PLUGINS=__all__`` makes the
  real one answer). A process that built a pydantic model earlier keeps its loader.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType

PLUGIN_LOADER = "pydantic.plugin._loader"


def cli() -> int:
    """``planner plan|validate|check|schema`` (the console script)."""
    with starting():
        from planner.cli import main
    return main()


def action() -> int:
    """The container's entry point."""
    with starting():
        from planner.action.main import main
    return main()


@contextmanager
def starting() -> Iterator[None]:
    declare_no_plugins()
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if collecting:
            gc.enable()


def declare_no_plugins() -> None:
    if PLUGIN_LOADER in sys.modules:
        return
    loader = ModuleType(PLUGIN_LOADER, "pydantic's plugin loader, finding none (planner.start)")
    loader.get_plugins = _no_plugins  # type: ignore[attr-defined]
    sys.modules[PLUGIN_LOADER] = loader


def _no_plugins() -> tuple[()]:
    return ()
