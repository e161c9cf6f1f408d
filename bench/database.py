"""The bench's database: created, migrated and seeded once per scale, then reused.

A scale is a name (`SCALE=50k`), the same as `ettervern seed --scale`'s: the bulk seeder
(docs/decisions/0014-bulk-seed.md) writes it, and `seed_args` is the one place that says so.

A database the bench has seeded carries a comment (COMMENT ON DATABASE) naming its scale.
A later run of the same scale skips seeding; a run of another scale refuses to use it (each
scale has a database of its own by default: `ettervern_bench` for the default scale,
`ettervern_bench_<scale>` for the others). Only databases named `ettervern_bench…` are ever
created or dropped.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
ETTERVERN = str(Path(sys.executable).with_name("ettervern"))

SEED = 20251  # the random seed: the same scale gives the same data on every machine


@dataclass(frozen=True)
class Scale:
    name: str
    pathways: int
    note: str = ""


SCALES = {s.name: s for s in [
    Scale("tiny", 300, "the test suite's and QUICK=1's size; seconds to seed"),
    Scale("50k", 50_000, "the default; about 1 minute to seed"),
    Scale("national", 500_000, "about 10-15 minutes to seed"),
]}
DEFAULT_SCALE = "50k"


def seed_args(scale: str) -> list[str]:
    """The `ettervern` arguments that seed `scale` into an empty, migrated database."""
    return ["seed", "--scale", scale, "--seed", str(SEED)]


DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/"


def default_url(scale: str) -> str:
    name = "ettervern_bench" if scale == DEFAULT_SCALE else f"ettervern_bench_{scale}"
    return DEFAULT_SERVER + name


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def _admin_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres"))


def _check_name(name: str) -> None:
    if not re.fullmatch(r"ettervern_bench\w*", name):
        raise SystemExit(f"bench: refusing to touch database {name!r}: the bench only creates "
                         f"and drops databases whose names start with ettervern_bench")


def _marker(scale: str) -> str:
    return f"ettervern bench data: scale={scale} seed={SEED}"


def exists(url: str) -> bool:
    with psycopg.connect(_admin_url(url), autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                            [database_name(url)]).fetchone() is not None


def create(url: str) -> None:
    name = database_name(url)
    _check_name(name)
    with psycopg.connect(_admin_url(url), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop(url: str) -> None:
    name = database_name(url)
    _check_name(name)
    with psycopg.connect(_admin_url(url), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                     .format(sql.Identifier(name)))


def marker(url: str) -> str:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                           "WHERE datname = current_database()").fetchone()
    return (row[0] if row else None) or ""


def set_marker(url: str, scale: str) -> None:
    name = database_name(url)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql.SQL("COMMENT ON DATABASE {} IS {}").format(
            sql.Identifier(name), sql.Literal(_marker(scale))))


def _count(url: str, table: str) -> int:
    with psycopg.connect(url) as conn:
        exists_row = conn.execute("SELECT to_regclass(%s)", [table]).fetchone()
        if not exists_row or exists_row[0] is None:
            return 0
        row = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
        found = row.fetchone()
    return int(found[0]) if found else 0


def patient_count(url: str) -> int:
    return _count(url, "patients_patient")


def bulk_chunks(url: str) -> int:
    """Pieces the bulk seeder recorded: it continues (or refuses another scale) by itself."""
    return _count(url, "demo_seedchunk")


def ettervern(args: list[str], env: dict[str, str], *, check: bool = True) -> None:
    """Run `ettervern ARGS` (a management command) against the bench's database."""
    subprocess.run([ETTERVERN, *args], env=env, check=check, cwd=ROOT)  # noqa: S603


def prepare(url: str, scale: str, env: dict[str, str], *, reset: bool = False,
            say: Callable[[str], object] = print) -> bool:
    """Make `url` a migrated database with `scale`'s data. Returns True when it seeded now."""
    if scale not in SCALES:
        raise SystemExit(f"bench: unknown scale {scale!r}; one of {', '.join(SCALES)}")
    name = database_name(url)
    if reset:
        say(f"Dropping {name} (RESET=1)")
        drop(url)
    if not exists(url):
        say(f"Creating database {name}")
        create(url)
    env = {**env, "DATABASE_URL": url}
    ettervern(["migrate", "--verbosity", "0"], env)
    found = marker(url)
    if found == _marker(scale):
        say(f"{name} already holds scale {scale}: not seeding again")
        return False
    if found:
        raise SystemExit(f"bench: {name} holds other data ({found!r}); use the scale's own "
                         f"database or RESET=1 to seed it anew")
    if patient_count(url) and not bulk_chunks(url):
        raise SystemExit(f"bench: {name} has patients the bench did not seed; give an empty "
                         f"database (BENCH_DATABASE_URL) or RESET=1")
    spec = SCALES[scale]
    say(f"Seeding scale {scale} ({spec.pathways:,} pathways; {spec.note}): "
        f"ettervern {' '.join(seed_args(scale))}")
    started = time.monotonic()
    ettervern(seed_args(scale), env)
    set_marker(url, scale)
    say(f"Seeded in {time.monotonic() - started:.0f} s")
    return True


def server_env(url: str, secret_key: str) -> dict[str, str]:
    """The environment of the app as production runs it: not demo mode, DEBUG off."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("ETTERVERN_") and k not in ("DATABASE_URL", "SECRET_KEY")}
    env.update(DATABASE_URL=url, SECRET_KEY=secret_key, ALLOWED_HOSTS="127.0.0.1",
               DJANGO_SETTINGS_MODULE="ettervern.settings", LOG_LEVEL="ERROR")
    return env
