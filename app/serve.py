"""Serving HTTP: one uvicorn process, or one per core, each on its own SO_REUSEPORT socket.

uvicorn's own multi-worker mode shares one listening socket, and whichever worker is awake accepts
a burst of new keep-alive connections, so load lands unevenly. With a socket per worker bound with
SO_REUSEPORT, the kernel spreads connections over the workers evenly.
"""

from __future__ import annotations

import multiprocessing
import signal
import socket
from types import FrameType

import uvicorn

from app.config import settings

APP = "app.main:create_app"


def _config() -> uvicorn.Config:
    return uvicorn.Config(
        APP,
        factory=True,
        proxy_headers=True,
        log_level="info",
        access_log=settings.access_log,
    )


def _worker(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    uvicorn.Server(_config()).run(sockets=[sock])


def serve(host: str, port: int, workers: int) -> None:
    """Serve until SIGINT or SIGTERM; with several workers, stop them all together."""
    if workers <= 1 or not hasattr(socket, "SO_REUSEPORT"):
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
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=_worker, args=(host, port)) for _ in range(workers)]
    for process in processes:
        process.start()

    def stop(_signal: int, _frame: FrameType | None) -> None:
        for process in processes:
            if process.is_alive():
                process.terminate()  # uvicorn shuts down gracefully on SIGTERM

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for process in processes:
        process.join()
