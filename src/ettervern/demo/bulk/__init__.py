"""`ettervern seed --scale`: the synthetic population at national scale, written in bulk.

The stories are the demo's (ettervern.demo.population.PathwayStory: the same draws, dates and
steps); instead of calling the services, PathwayRecorder records the rows those services write
and a writer loads them with COPY (PostgreSQL) or large bulk_create batches (SQLite). See
docs/decisions/0013-bulk-seed.md and docs/performance.md.
"""
