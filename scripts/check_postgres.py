"""Is the PostgreSQL for the second test run reachable?

Exit 0: reachable. Not reachable: exit 1 under CI (CI=true), so the run fails; elsewhere
print a warning and exit 1 only with --quiet (the Makefile then skips the PostgreSQL run).
"""

import os
import sys

import psycopg


def main() -> int:
    args = [a for a in sys.argv[1:] if a != "--quiet"]
    quiet = "--quiet" in sys.argv
    url = args[0] if args else "postgres://postgres@127.0.0.1:5432/postgres"
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    try:
        with psycopg.connect(admin_url, connect_timeout=5) as conn:
            conn.execute("SELECT 1")
        return 0
    except psycopg.OperationalError as exc:
        if os.environ.get("CI") == "true":
            print(f"PostgreSQL at {admin_url} is not reachable under CI: {exc}", file=sys.stderr)
            return 1
        if not quiet:
            print(f"WARNING: PostgreSQL at {admin_url} is not reachable; skipping the PostgreSQL "
                  f"run. Start it or set PG_URL.", file=sys.stderr)
            return 0
        return 1


if __name__ == "__main__":
    sys.exit(main())
