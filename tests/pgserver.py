"""Start and stop a throwaway PostgreSQL server for the tests (loopback only).

Used by `.ci/run` (``python tests/pgserver.py start DIR`` prints the URL to use) and by
the test session itself when no server was given. PostgreSQL refuses to run as root,
so as root the server runs as the ``postgres`` user.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

__all__ = ["find_bin", "start", "stop"]


def find_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    return candidates[0] if candidates else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


def _run(command: list[str]) -> None:
    done = subprocess.run(_as_server_user(command), capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:1])} failed: {done.stderr or done.stdout}")


def start(directory: Path) -> str:
    """Initialise a cluster in ``directory`` and start it; returns its SQLAlchemy URL.

    ``directory``'s parent must be reachable by the server's user (not a 0700 root folder).
    """
    initdb, pg_ctl = find_bin("initdb"), find_bin("pg_ctl")
    if not initdb or not pg_ctl:
        raise RuntimeError("PostgreSQL is not installed (initdb/pg_ctl not found)")
    directory.mkdir(parents=True, exist_ok=True)
    data, sockets = directory / "data", directory / "sock"
    sockets.mkdir(exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres")
        shutil.chown(sockets, "postgres")
        directory.chmod(0o700)
    port = _free_port()
    _run([initdb, "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"])
    options = (
        f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={sockets} "
        "-c fsync=off -c max_connections=200 -c shared_buffers=64MB"
    )
    log = str(directory / "server.log")
    _run([pg_ctl, "-D", str(data), "-l", log, "-o", options, "-w", "-t", "60", "start"])
    url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    (directory / "url").write_text(url)
    return url


def stop(directory: Path) -> None:
    pg_ctl = find_bin("pg_ctl")
    data = directory / "data"
    if pg_ctl and (data / "postmaster.pid").exists():
        subprocess.run(
            _as_server_user([pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"]),
            check=False,
            capture_output=True,
        )
        time.sleep(0.2)
    shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    action, where = sys.argv[1], Path(sys.argv[2])
    if action == "start":
        print(start(where))
    elif action == "stop":
        stop(where)
    else:
        raise SystemExit(f"usage: {sys.argv[0]} start|stop DIR")
