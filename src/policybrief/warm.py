"""Run a `policybrief` command in a process forked from a warm one, so a workflow job does not pay
interpreter start-up and the renderers' imports (about 0.7 s of a 1.4 s render job, see
bench/profile-render.txt).

    python -m policybrief.warm <command> [args...]     (what the Snakefile runs)

The client is tiny (standard library only). It connects to a per-user Unix socket; the first
client starts the server, which imports WeasyPrint, matplotlib, pandoc's wrapper, the QA stack and
our package once, then forks one child per request. The child gets the client's working directory,
environment, arguments and its stdin/stdout/stderr (passed as file descriptors), runs the command
exactly as `python -m policybrief` would, and its exit status becomes the client's. So every job
is still its own process (isolation, memory returned at exit, a crash stays a failed job), only
already warm. If the client dies (Snakemake cancels the job), the child is killed.

The socket name includes a hash of the package's code and the interpreter, so a code change starts
a fresh server; a server exits after IDLE_S seconds without requests. POLICYBRIEF_WARM=0 (used by
the cluster profiles, where each job runs on its own) runs the command in the client's process.
"""

from __future__ import annotations

import hashlib
import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

IDLE_S = 60
START_TIMEOUT_S = 20
PACKAGE = Path(__file__).resolve().parent


def socket_path() -> Path:
    digest = hashlib.sha256(sys.executable.encode())
    for path in sorted(PACKAGE.glob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    base = Path(os.environ.get("XDG_RUNTIME_DIR") or f"/tmp/policybrief-{os.getuid()}")
    base.mkdir(mode=0o700, parents=True, exist_ok=True)
    return base / f"warm-{digest.hexdigest()[:16]}.sock"


def _run_here(argv: list[str]) -> int:
    from .cli import main

    return main(argv)


def _connect(path: Path) -> socket.socket | None:
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        client.connect(str(path))
        return client
    except OSError:
        client.close()
        return None


def _start_server(path: Path) -> socket.socket | None:
    subprocess.Popen(
        [sys.executable, "-m", "policybrief.warm", "--serve", str(path)],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        cwd="/", start_new_session=True,
    )
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        client = _connect(path)
        if client:
            return client
        time.sleep(0.05)
    return None


def client(argv: list[str]) -> int:
    if os.environ.get("POLICYBRIEF_WARM", "1") == "0":
        return _run_here(argv)
    path = socket_path()
    conn = _connect(path) or _start_server(path)
    if conn is None:
        return _run_here(argv)  # no warm server could be had: same command, cold
    request = json.dumps({"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ)}).encode()
    reply = b""
    try:
        with conn:
            socket.send_fds(conn, [len(request).to_bytes(8, "big") + request], _standard_fds())
            while not reply.endswith(b"\n") and (chunk := conn.recv(64)):
                reply += chunk
    except OSError:
        reply = b""
    if not reply.endswith(b"\n"):
        return _run_here(argv)  # the server went away before answering (e.g. it was idling out): run cold
    return int(reply)


def _standard_fds() -> list[int]:
    """stdin, stdout and stderr as the child should have them (/dev/null for any that is closed)."""
    fds = []
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
            fds.append(fd)
        except OSError:
            fds.append(os.open(os.devnull, os.O_RDWR))
    return fds


def _preload() -> None:
    """Everything a job imports, once: what each forked child then gets for free."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot  # noqa: F401
    import pikepdf  # noqa: F401
    import pypdfium2  # noqa: F401
    import textstat  # noqa: F401
    import weasyprint  # noqa: F401

    from . import build, catalogue, charts, cli, docx, library, manifest, mail, pdf, publish, qa, qa_report  # noqa: F401


def _recv_request(conn: socket.socket) -> tuple[dict, list[int]]:
    data, fds, _flags, _addr = socket.recv_fds(conn, 1 << 20, 3)
    size = int.from_bytes(data[:8], "big")
    body = data[8:]
    while len(body) < size:
        chunk = conn.recv(size - len(body))
        if not chunk:
            raise ConnectionError("request cut short")
        body += chunk
    return json.loads(body), fds


def _child(request: dict, fds: list[int]) -> None:
    """In the forked process: become the client's command, then exit with its status."""
    code = 1
    try:
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.stdin = open(0, closefd=False)
        sys.stdout = open(1, "w", closefd=False)
        sys.stderr = open(2, "w", closefd=False)
        sys.argv = ["policybrief", *request["argv"]]
        code = _run_here(request["argv"])
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # a crash is a failed job, reported like the plain command would
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
        os._exit(code)


def serve(path: Path) -> None:
    _preload()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    listener.bind(str(path))
    os.chmod(path, 0o600)
    listener.listen(64)
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ)
    children: dict[int, socket.socket] = {}  # pid -> the client waiting for it
    last_activity = time.monotonic()
    try:
        while children or time.monotonic() - last_activity < IDLE_S:
            for key, _events in selector.select(timeout=0.02):
                if key.fileobj is listener:
                    conn, _ = listener.accept()
                    try:
                        request, fds = _recv_request(conn)
                    except (OSError, ValueError, ConnectionError):
                        conn.close()
                        continue
                    pid = os.fork()
                    if pid == 0:
                        # The child keeps only its own descriptors (clients read until the server closes).
                        selector.close()
                        for other in [listener, conn, *children.values()]:
                            other.close()
                        _child(request, fds)
                    for fd in fds:
                        os.close(fd)
                    children[pid] = conn
                    selector.register(conn, selectors.EVENT_READ, pid)
                    last_activity = time.monotonic()
                else:
                    # A client socket is readable only when the client went away: stop its job.
                    pid = key.data
                    selector.unregister(key.fileobj)
                    if pid in children:
                        os.kill(pid, signal.SIGTERM)
            while children:
                pid, status = os.waitpid(-1, os.WNOHANG)
                if pid == 0:
                    break
                conn = children.pop(pid, None)
                if conn is not None:
                    try:
                        selector.unregister(conn)
                    except (KeyError, ValueError):
                        pass
                    code = os.waitstatus_to_exitcode(status)
                    try:
                        conn.sendall(f"{code if code >= 0 else 128 - code}\n".encode())
                    except OSError:
                        pass
                    conn.close()
                last_activity = time.monotonic()
    finally:
        try:
            path.unlink()
        except FileNotFoundError:
            pass


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve"]:
        del sys.path[0]  # the server's working directory ("/"): jobs import nothing from there
        serve(Path(sys.argv[2]))
    else:
        sys.exit(client(sys.argv[1:]))
