"""Admission control: how many requests run at once, and how many of them may write.

A request holds its database connection across several thread-pool hops, and a writer may wait
inside a thread for a database lock (SQLite's write lock, a PostgreSQL row lock). Two rules keep
threads, connections and locks from waiting on each other in a circle:

- at most `requests` requests are admitted — one pooled connection each, so no request ever waits
  for a connection while holding a thread;
- at most `threads - 1` of them may write, so however many writers wait for a lock, a thread is
  always left for the writer holding it.

A write's body is read before it is admitted, so a slow upload holds neither a permit nor a
connection while it arrives.
"""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Message, Receive, Scope, Send

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class Admission:
    def __init__(self, app: ASGIApp, *, requests: int, threads: int, max_body: int) -> None:
        self.app = app
        self.requests = asyncio.Semaphore(requests)
        self.writers = asyncio.Semaphore(max(1, threads - 1))
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/static/"):
            await self.app(scope, receive, send)
        elif scope["method"] in SAFE_METHODS:
            async with self.requests:
                await self.app(scope, receive, send)
        else:
            replay = await self._buffer(receive)
            async with self.writers, self.requests:
                await self.app(scope, replay, send)

    async def _buffer(self, receive: Receive) -> Receive:
        """Read the body (up to the upload limit) and return a `receive` that replays it."""
        messages: list[Message] = []
        size = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request" or not message.get("more_body", False):
                break
            size += len(message.get("body", b""))
            if size > self.max_body:  # the app refuses it with 413 as soon as it reads on
                break
        pending = iter(messages)

        async def replay() -> Message:
            return next(pending, None) or await receive()

        return replay
