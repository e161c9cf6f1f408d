"""The crisis plan (kriseplan)."""
