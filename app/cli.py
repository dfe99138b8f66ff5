"""`prozessatlas`: the administrator's command line."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.config import settings
from app.db import Database
from app.errors import AppError
from app.models import Role, User

# The services are imported by the commands that use them: a call of `prozessatlas import`
# should not pay for the migrations (alembic), the password hasher or the demo catalogue.
ADMIN_USERNAME = "admin"  # = app.services.users.ADMIN_USERNAME, the account `serve` creates


@contextmanager
def transaction() -> Iterator[Session]:
    database = Database(settings.database_url)
    try:
        with database.session() as session:
            yield session
            session.commit()
    finally:
        database.dispose()


def _user(session: Session, username: str) -> User:
    from app.services import users as user_service

    user = user_service.by_username(session, username)
    if user is None:
        raise SystemExit(f"no such user: {username}")
    return user


def cmd_migrate(_: argparse.Namespace) -> None:
    from app import migrate

    migrate.upgrade(settings.database_url)
    print("database is at the newest schema")


def _ensure_admin(session: Session) -> None:
    """Create the admin account on first use, printing a generated password once."""
    if session.scalar(select(User.id).where(User.username == ADMIN_USERNAME)) is not None:
        return
    from app.services import users as user_service

    generated = user_service.ensure_admin(session, password=settings.admin_password)
    if generated:
        print("=" * 64)
        print(f"  Administrator account created: admin / {generated}")
        print("  It is shown only once; change it with `prozessatlas set-password admin`.")
        print("=" * 64, flush=True)


def prepare() -> None:
    """Migrate, create the admin account (printing a generated password once), refresh the
    planner statistics and seed the demo."""
    from app import migrate
    from app.services import catalogue, demo, glossary
    from app.services.search import index as search_index

    migrate.upgrade(settings.database_url)
    with transaction() as session:
        _ensure_admin(session)
        catalogue.refresh_statistics(session)
        indexed = search_index.fill_if_empty(session)  # a database from before the index
        if indexed:
            print(f"search index: {indexed} documents", flush=True)
        collected = glossary.fill_if_empty(session)  # likewise, from before the glossary
        if collected:
            print(f"glossary: collected from {collected} processes", flush=True)
        if settings.seed_demo and demo.is_empty(session):
            created = demo.seed(session, admin=_user(session, ADMIN_USERNAME))
            print(f"demo catalogue: {created} processes", flush=True)


def cmd_serve(args: argparse.Namespace) -> None:
    from app.serve import serve

    prepare()
    serve(args.host, args.port, args.workers)


def cmd_create_user(args: argparse.Namespace) -> None:
    from app.schemas import UserCreate
    from app.services import users as user_service

    password = args.password or os.environ.get("PROZESSATLAS_NEW_USER_PASSWORD")
    if not password:
        password = getpass.getpass(f"password for {args.username}: ")
    with transaction() as session:
        user_service.create(
            session,
            actor=None,
            data=UserCreate(
                username=args.username,
                password=password,
                display_name=args.display_name or "",
                is_admin=args.admin,
            ),
        )
    print(f"created user {args.username}")


def cmd_set_password(args: argparse.Namespace) -> None:
    from app.services import users as user_service

    password = os.environ.get("PROZESSATLAS_NEW_USER_PASSWORD") or getpass.getpass(
        f"new password for {args.username}: "
    )
    with transaction() as session:
        user_service.set_password(
            session, actor=None, user=_user(session, args.username), password=password
        )
    print(f"password of {args.username} changed")


def cmd_grant(args: argparse.Namespace) -> None:
    from app.schemas import MemberCreate
    from app.services import offices as office_service

    with transaction() as session:
        office = office_service.by_key(session, args.office)
        if office is None:
            raise SystemExit(f"no such office: {args.office}")
        office_service.grant(
            session,
            actor=None,
            office_id=office.id,
            data=MemberCreate(username=args.username, role=Role(args.role)),
        )
    print(f"{args.username} is {args.role} of {args.office}")


def cmd_create_token(args: argparse.Namespace) -> None:
    from app.services import users as user_service

    with transaction() as session:
        _, token = user_service.create_token(
            session,
            user=_user(session, args.username),
            name=args.name,
            lifetime=user_service.token_lifetime(args.days),
        )
    print(token)


def cmd_list_tokens(args: argparse.Namespace) -> None:
    from app.services import users as user_service

    with transaction() as session:
        tokens = user_service.list_tokens(session, actor=None, username=args.username)
        for row in tokens:
            expires = row.expires_at.isoformat(timespec="seconds") if row.expires_at else "never"
            print(
                f"{row.id}\t{row.name or '-'}\tcreated {row.created_at:%Y-%m-%d}\texpires {expires}"
            )
    if not tokens:
        print(f"{args.username} has no valid tokens")


def cmd_revoke_token(args: argparse.Namespace) -> None:
    from app.services import users as user_service

    with transaction() as session:
        row = user_service.revoke_token(session, actor=None, token_id=args.token_id)
    print(f"token {row.id} ({row.name or '-'}) revoked")


def cmd_unlock(args: argparse.Namespace) -> None:
    from app.services import sessions

    with transaction() as session:
        lifted = sessions.unlock(session, actor=None, user=_user(session, args.username))
    print(f"{args.username}: " + ("login lock lifted" if lifted else "was not locked"))


def cmd_set_active(args: argparse.Namespace) -> None:
    from app.services import users as user_service

    with transaction() as session:
        user_service.set_active(
            session, actor=None, user=_user(session, args.username), active=args.active
        )
    print(f"{args.username} is " + ("active" if args.active else "deactivated"))


def cmd_seed_demo(_: argparse.Namespace) -> None:
    from app import migrate
    from app.services import demo
    from app.services import users as user_service

    migrate.upgrade(settings.database_url)
    with transaction() as session:
        user_service.ensure_admin(session, password=settings.admin_password)
        created = demo.seed(session, admin=_user(session, ADMIN_USERNAME))
    print(f"demo catalogue: {created} new processes")


def cmd_reanalyze(_: argparse.Namespace) -> None:
    from app.services import processes as process_service

    with transaction() as session:
        changed = process_service.reanalyze_all(session)
    print(f"re-analysed {changed} versions")


def cmd_reindex(_: argparse.Namespace) -> None:
    from app.services.search import index as search_index

    with transaction() as session:
        count = search_index.reindex_all(session)
    print(f"search index rebuilt: {count} documents")


def cmd_reindex_glossary(_: argparse.Namespace) -> None:
    from app.services import glossary

    with transaction() as session:
        count = glossary.rebuild(session)
    print(f"glossary collected from {count} processes")


def cmd_import(args: argparse.Namespace) -> None:
    from app.services import transfer

    with transaction() as session:
        if args.user is None:  # the default importer, also on a fresh installation (a restore)
            _ensure_admin(session)
        report = transfer.import_path(
            session,
            Path(args.path),
            office_key=args.office,
            username=args.user,
            progress=not args.quiet,
            offices_from_folders=args.offices_from_folders,
        )
    if report.stored or report.stored_invalid:
        from app.services import catalogue

        with transaction() as session:
            catalogue.refresh_statistics(session)
    transfer.print_report(report)
    if report.refused and args.strict:
        sys.exit(1)


def cmd_export(args: argparse.Namespace) -> None:
    from app.services import transfer

    with transaction() as session:
        count = transfer.export(
            session, Path(args.output), process_id=args.process, office_key=args.office
        )
    print(f"exported {count} versions to {args.output}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="prozessatlas", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    def command(
        name: str, handler: Callable[[argparse.Namespace], None], help: str
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=help)
        sub.set_defaults(handler=handler)
        return sub

    command("migrate", cmd_migrate, "bring the database schema up to date")
    serve = command("serve", cmd_serve, "migrate, create admin and demo on first start, serve HTTP")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    user = command("create-user", cmd_create_user, "create a user account")
    user.add_argument("username")
    user.add_argument("--password", help="default: $PROZESSATLAS_NEW_USER_PASSWORD or a prompt")
    user.add_argument("--display-name")
    user.add_argument("--admin", action="store_true")
    passwd = command("set-password", cmd_set_password, "set a user's password (prompted)")
    passwd.add_argument("username")
    grant = command("grant", cmd_grant, "give a user a role on an office (and its sub-offices)")
    grant.add_argument("username")
    grant.add_argument("office", help="office key")
    grant.add_argument("role", choices=[r.value for r in Role])
    token = command("create-token", cmd_create_token, "issue an API token (printed once)")
    token.add_argument("username")
    token.add_argument("--name", default="cli")
    token.add_argument(
        "--days", type=int, help="lifetime (default 90, at most $PROZESSATLAS_TOKEN_MAX_DAYS)"
    )
    tokens = command("list-tokens", cmd_list_tokens, "list a user's valid API tokens")
    tokens.add_argument("username")
    revoke = command("revoke-token", cmd_revoke_token, "revoke an API token by its id")
    revoke.add_argument("token_id", type=int)
    unlock = command("unlock", cmd_unlock, "lift the login lock of an account")
    unlock.add_argument("username")
    deactivate = command(
        "deactivate-user", cmd_set_active, "deactivate an account (ends its sessions and tokens)"
    )
    deactivate.add_argument("username")
    deactivate.set_defaults(active=False)
    activate = command("activate-user", cmd_set_active, "activate a deactivated account")
    activate.add_argument("username")
    activate.set_defaults(active=True)
    command("seed-demo", cmd_seed_demo, "load the demo catalogue")
    command("reanalyze", cmd_reanalyze, "re-run the analysis on versions from an older vocabulary")
    command("reindex", cmd_reindex, "rebuild the search index from the newest versions")
    command(
        "reindex-glossary",
        cmd_reindex_glossary,
        "collect the glossary again from the newest versions (curation is kept)",
    )
    imp = command("import", cmd_import, "import a .bpmn file, a folder or a .zip (or an export)")
    imp.add_argument("path")
    imp.add_argument("--office", help="office key (not needed for a Prozessatlas export)")
    imp.add_argument("--user", help="author of plain BPMN files (default: admin)")
    imp.add_argument(
        "--offices-from-folders",
        action="store_true",
        help="a folder tree: each sub-folder names the office of its files (created under the "
        "office of the folder above if missing); files at the top go into --office",
    )
    imp.add_argument("--quiet", action="store_true")
    imp.add_argument("--strict", action="store_true", help="exit 1 if any file was refused")
    exp = command("export", cmd_export, "export BPMN files plus a JSON manifest")
    exp.add_argument("output", help="a folder or a .zip file")
    scope = exp.add_mutually_exclusive_group()
    scope.add_argument("--process", type=int, help="one process id")
    scope.add_argument("--office", help="one office key (with its sub-offices)")
    return parser


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    try:
        args.handler(args)
    except AppError as exc:
        raise SystemExit(f"error: {exc.en}") from None
    except ValidationError as exc:
        raise SystemExit(f"error: {exc.errors()[0]['msg']}") from None
