"""Serving HTTP: one uvicorn process, or one per core, each on its own SO_REUSEPORT socket.

uvicorn's own multi-worker mode shares one listening socket, and whichever worker is awake accepts
a burst of new keep-alive connections, so load lands unevenly. With a socket per worker bound with
SO_REUSEPORT, the kernel spreads connections over the workers evenly.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import socket
import time
from collections.abc import Callable
from multiprocessing.connection import wait
from multiprocessing.process import BaseProcess
from types import FrameType

import uvicorn

from app.config import settings

APP = "app.main:create_app"
log = logging.getLogger("prozessatlas.serve")


def _config() -> uvicorn.Config:
    return uvicorn.Config(
        APP,
        factory=True,
        proxy_headers=True,
        log_level="info",
        access_log=settings.access_log,
    )


def _quietly(run: Callable[[], None]) -> None:
    """Run a uvicorn server so that SIGINT and SIGTERM end it quietly, with exit code 0.

    uvicorn shuts down gracefully on either signal, then hands the signal back to the handler
    it found installed, so that the process dies of it (a "Terminated" under make, a
    KeyboardInterrupt traceback). With a handler of ours installed first, that hand-back only
    reaches us, and the command ends normally once the server has stopped.
    """

    def stopped(_signal: int, _frame: FrameType | None) -> None:
        pass  # uvicorn has shut down already; nothing is left to do

    previous = {sig: signal.signal(sig, stopped) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _worker(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    _quietly(lambda: uvicorn.Server(_config()).run(sockets=[sock]))


def serve(host: str, port: int, workers: int) -> None:
    """Serve until SIGINT or SIGTERM, then end quietly; with several workers, stop them all."""
    if workers <= 1:
        config = _config()
        config.host, config.port = host, port
        _quietly(uvicorn.Server(config).run)
        return
    if not hasattr(socket, "SO_REUSEPORT"):
        uvicorn.run(
            APP,
            factory=True,
            host=host,
            port=port,
            workers=workers,
            proxy_headers=True,
            log_level="info",
            access_log=settings.access_log,
        )
        return
    _supervise(host, port, workers)


# A worker that dies this soon after its start is failing to start (port taken, bad settings):
# after this many such deaths in a row, give up instead of restarting it forever.
_QUICK_DEATH_SECONDS = 10.0
_QUICK_DEATHS = 5


def _supervise(host: str, port: int, workers: int) -> None:
    """Run `workers` processes; start a new one for each that dies, until SIGINT or SIGTERM."""
    context = multiprocessing.get_context("spawn")
    started: dict[int, float] = {}

    def start() -> BaseProcess:
        process = context.Process(target=_worker, args=(host, port))
        process.start()
        started[process.pid or 0] = time.monotonic()
        return process

    processes = [start() for _ in range(workers)]
    stopping = False

    def stop(_signal: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        for process in processes:
            if process.is_alive():
                process.terminate()  # uvicorn shuts down gracefully on SIGTERM

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    quick_deaths = 0
    while not stopping:
        wait([process.sentinel for process in processes])
        for index, process in enumerate(processes):
            if stopping or process.is_alive():
                continue
            lived = time.monotonic() - started.pop(process.pid or 0, 0.0)
            quick_deaths = quick_deaths + 1 if lived < _QUICK_DEATH_SECONDS else 0
            if quick_deaths >= _QUICK_DEATHS:
                log.error("workers keep dying at start (exit code %s): stopping", process.exitcode)
                stop(signal.SIGTERM, None)
                for other in processes:
                    other.join()
                raise SystemExit(1)
            log.warning(
                "worker %s exited (code %s): starting another", process.pid, process.exitcode
            )
            processes[index] = start()
    for process in processes:
        process.join()
