"""The action's modes, one module each around one :class:`~planner.action.modes.run.Run`:
``plan`` (an issue or a request file), ``merged`` (a merged pull request finishes a task),
``validate`` (contracts written by anyone) and ``check`` (a pull request against the plan
of its base commit). ``planner.action.main`` only chooses one and reports its outcome."""
