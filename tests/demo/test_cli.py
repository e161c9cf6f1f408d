"""`python -m ettervern.cli` forwards to Django's management commands."""

from __future__ import annotations

import os
import subprocess
import sys


def test_the_cli_refuses_outside_demo_mode(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in ("ETTERVERN_DEMO", "DATABASE_URL")}
    env.update(SECRET_KEY="test-only", ETTERVERN_VAR_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-m", "ettervern.cli", "demo", "--no-serve"],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode != 0
    assert "ETTERVERN_DEMO=1" in result.stderr
    assert "koordinator" not in result.stdout
    # Refused before touching any database.
    assert not (tmp_path / "ettervern.sqlite3").exists()
