"""Security headers on every response, as one pure ASGI middleware (ADR 0012).

Pages run no inline script: page data sits in `<script type="application/json">` blocks read by
the bundles, so the Content-Security-Policy allows scripts from this origin only. A response that
sets a header itself keeps its own value.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Style sheets only from this origin, no <style> elements; but inline style *attributes* are
# allowed: bpmn-js (align/distribute icons), the properties panel and diagram-js overlays write
# markup with `style="…"` (measured in chromium: the modeler breaks without it). An attribute runs
# no script. Images: SVG/PNG export and the icon use data: and blob: URLs. Workers: a bundle may
# lint or analyse off the main thread.
PAGE_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HSTS = "max-age=31536000"


def _encoded(pairs: dict[str, str]) -> list[tuple[bytes, bytes]]:
    return [
        (name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in pairs.items()
    ]


class SecurityHeaders:
    """Adds CSP, nosniff, frame and referrer policies (and HSTS behind HTTPS) to every response."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        policy: str = PAGE_POLICY,
        paths: dict[str, str] | None = None,
        https: bool = False,
    ) -> None:
        self.app = app
        common = {
            "X-Content-Type-Options": "nosniff",
            "X-Frame-Options": "DENY",
            "Referrer-Policy": "same-origin",
        }
        if https:
            common["Strict-Transport-Security"] = HSTS
        self.default = _encoded({"Content-Security-Policy": policy, **common})
        self.by_path = {
            path: _encoded({"Content-Security-Policy": value, **common})
            for path, value in (paths or {}).items()
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = self.by_path.get(scope["path"], self.default)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                present = {name.lower() for name, _ in headers}
                headers.extend(pair for pair in extra if pair[0] not in present)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
