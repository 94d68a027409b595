"""Validators generated from the committed JSON Schemas by fastjsonschema, one module per
schema (``python -m planner.schemas`` writes them; a test fails when they drift)."""
