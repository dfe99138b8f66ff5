# syntax=docker/dockerfile:1
# Prozessatlas image: `docker build -t prozessatlas .`, then see docs/docker.md (SQLite or PostgreSQL).

# ---- stage 1: the frontend bundle (esbuild) and the OMG BPMN XSDs shipped inside bpmn-moddle ----
FROM node:20-bookworm-slim AS frontend
WORKDIR /src/frontend
# Manifests first so `npm ci` stays cached until they change. The bpmnlint plugin is a local
# `file:` dependency (a link in package-lock.json), so it must exist before `npm ci`.
COPY frontend/package.json frontend/package-lock.json ./
COPY frontend/bpmnlint-plugin-prozessatlas/ ./bpmnlint-plugin-prozessatlas/
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
# build.mjs writes to ../app/static/dist, i.e. /src/app/static/dist (it creates the folder itself).
RUN npm run build

# ---- stage 2: the Python application ----
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore

RUN groupadd --system --gid 10001 prozessatlas \
 && useradd --system --uid 10001 --gid prozessatlas --home-dir /app --no-create-home \
            --shell /usr/sbin/nologin prozessatlas

# Why an editable install in /app, not `pip install .`: app/config.py sets
# ROOT = Path(app/__file__).parent.parent and looks up ROOT/alembic.ini, ROOT/migrations,
# ROOT/bpmn_schemas, ROOT/app/templates, ROOT/app/static and ROOT/data. A regular wheel contains
# only the `app` package (no alembic.ini, migrations/ or bpmn_schemas/), so ROOT would become
# site-packages and the migrations and schemas would not be found. With `-e`, `app` is imported
# from /app/app, ROOT is /app and every one of those paths exists in the image.
WORKDIR /app

# Dependencies in their own layer (cached until pyproject.toml or constraints.txt change).
COPY pyproject.toml constraints.txt ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
 && pip install --no-cache-dir -c constraints.txt -r /tmp/requirements.txt \
 && rm /tmp/requirements.txt

COPY README.md LICENSE alembic.ini ./
COPY app/ ./app/
COPY migrations/ ./migrations/
COPY bpmn_schemas/ ./bpmn_schemas/
COPY scripts/ ./scripts/
# No dev extra. The dependencies are already satisfied, so this only installs the project itself.
RUN pip install --no-cache-dir -c constraints.txt -e .

# The built bundle, and the XSDs at the path scripts/install_schemas.py reads them from
# (ROOT/frontend/node_modules/bpmn-moddle/resources/bpmn/xsd); it checks them against
# bpmn_schemas/SHA256SUMS and copies them into bpmn_schemas/.
COPY --from=frontend /src/app/static/dist/ ./app/static/dist/
COPY --from=frontend /src/frontend/node_modules/bpmn-moddle/resources/bpmn/xsd/ \
                     ./frontend/node_modules/bpmn-moddle/resources/bpmn/xsd/
RUN python scripts/install_schemas.py \
 && rm -rf frontend \
 && test -f bpmn_schemas/BPMN20.xsd && test -f app/static/dist/modeler.js

# All state lives in /data: the SQLite database (default URL below) and the session key, which
# app/main.py writes to ROOT/data/session.key; /app/data is a link to the volume so it persists.
# The code in /app stays owned by root and read-only for the service user.
RUN mkdir -p /data && chown prozessatlas:prozessatlas /data && ln -s /data /app/data
ENV PROZESSATLAS_DATABASE_URL=sqlite:////data/prozessatlas.db
VOLUME /data

USER prozessatlas
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

# `serve` migrates, creates the admin (password printed once unless PROZESSATLAS_ADMIN_PASSWORD is
# set) and seeds the demo catalogue on first start, then runs uvicorn.
CMD ["prozessatlas", "serve", "--host", "0.0.0.0", "--port", "8000"]
