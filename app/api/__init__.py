"""The HTTP API layer: the REST routers (`app.api.v1`), request dependencies and problem details.

Importing the package loads no router, so `app.auth` and the pages can use `app.api.deps`.
"""
