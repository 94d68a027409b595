"""planner-action: turns a planning issue into a machine-validated plan."""

__version__ = "0.1.0"
