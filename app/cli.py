"""The ``motcua`` command."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import date
from importlib import resources
from pathlib import Path


def _demo_file(name: str) -> Path:
    return Path(str(resources.files("app") / "demo" / name))


async def migrate() -> None:
    from piccolo.apps.migrations.commands.forwards import run_forwards

    from app.db import enable_sqlite_wal

    result = await run_forwards(app_name="all")
    if not result.success:
        raise SystemExit(f"Lỗi khi nâng cấp cơ sở dữ liệu: {result.message}")
    enable_sqlite_wal()


async def import_catalogue_file(path: Path, effective_on: date) -> None:
    from app.domain.catalogue_import import CatalogueInvalid
    from app.services.catalogue_import import import_catalogue

    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise SystemExit(
            f"Tệp {path} không phải văn bản UTF-8 (byte lỗi ở vị trí {exc.start}),"
            " hãy lưu lại tệp với bảng mã UTF-8."
        ) from None
    except RecursionError:
        raise SystemExit(f"Tệp {path} lồng nhau quá sâu, không đọc được.") from None
    except (OSError, json.JSONDecodeError) as exc:
        raise SystemExit(f"Không đọc được tệp {path}: {exc}") from exc
    try:
        summary = await import_catalogue(document, effective_on)
    except CatalogueInvalid as exc:
        print(f"Tệp {path} có {len(exc.problems)} lỗi, không nạp gì:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  - {problem}", file=sys.stderr)
        raise SystemExit(1) from exc
    print(f"Đã nạp danh mục thủ tục: {summary}.")


async def seed_demo(if_empty: bool) -> None:
    from app.models import Procedure
    from app.services.agencies import load_agencies

    if if_empty and await Procedure.count().run() > 0:
        print("Cơ sở dữ liệu đã có dữ liệu, giữ nguyên.")
        return
    levels, agencies = await load_agencies(json.loads(_demo_file("agencies.json").read_text()))
    print(f"Đã nạp {levels} cấp hành chính và {agencies} cơ quan mẫu.")
    await import_catalogue_file(_demo_file("catalogue.json"), date.today())
    from app.services.demo import load_demo_accounts

    citizens, officers = await load_demo_accounts(
        json.loads(_demo_file("accounts.json").read_text(encoding="utf-8"))
    )
    print(f"Đã tạo {citizens} tài khoản công dân và {officers} tài khoản cán bộ mẫu.")


async def create_officer_command(args: argparse.Namespace) -> None:
    import getpass

    from app.services.accounts import FormErrors
    from app.services.officers import OfficerInput, create_officer

    password = args.password or getpass.getpass("Mật khẩu: ")
    try:
        officer = await create_officer(
            OfficerInput(
                username=args.username,
                full_name=args.full_name,
                agency_code=args.agency,
                roles=tuple(args.roles.split(",")),
                password=password,
                email=args.email or "",
            )
        )
    except FormErrors as exc:
        for field, message in exc.errors.items():
            print(f"  - {field}: {message}", file=sys.stderr)
        raise SystemExit(1) from exc
    print(f"Đã tạo cán bộ {officer.username} ({', '.join(officer.roles)}).")


async def calendar_day(day: date, working: bool, reason: str, source: str) -> None:
    from app.models import CalendarDay

    existing = await CalendarDay.objects().where(CalendarDay.day == day).first().run()
    row = existing or CalendarDay(day=day)
    row.is_working_day = working
    row.reason = reason
    row.source = source
    await row.save().run()
    kind = "ngày làm việc" if working else "ngày nghỉ"
    print(f"{day:%d/%m/%Y} là {kind}: {reason}")


async def rebuild_statistics() -> None:
    import time

    from app.services.statistics_rebuild import rebuild

    started = time.perf_counter()
    count = await rebuild()
    print(f"Đã tính lại thống kê của {count} hồ sơ trong {time.perf_counter() - started:.1f} giây.")


async def check_counts(repair: bool) -> None:
    """Compare the desk's counters and visibility rows with a full recount of the dossiers."""
    from app.services import queue_index

    mismatches = await queue_index.recount()
    stale = await queue_index.rows_out_of_date()
    for m in mismatches:
        print(f"  - {m.counter} cơ quan {m.agency} {m.key}: bộ đếm {m.counted}, đếm lại {m.actual}")
    if not mismatches and not stale:
        print("Bộ đếm và bảng hiển thị hồ sơ khớp với dữ liệu hồ sơ.")
        return
    print(f"{len(mismatches)} bộ đếm lệch, {stale} dòng hiển thị lệch.")
    if not repair:
        raise SystemExit(1)
    await queue_index.rebuild()
    print("Đã dựng lại bộ đếm, bảng hiển thị và chỉ mục tìm kiếm.")


def serve(args: argparse.Namespace) -> None:
    import uvicorn

    from app.logs import log_config
    from app.settings import UnsafeSettings, check, export_address, get_settings

    # Worker processes read the same address for the links they build (QR codes, messages).
    export_address(args.host, args.port)
    settings = get_settings()
    try:
        check(settings)
    except UnsafeSettings as exc:
        raise SystemExit(str(exc)) from exc
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=args.host or settings.host,
        port=args.port or settings.port,
        workers=args.workers or settings.workers,
        log_level="info",
        log_config=log_config(),
        proxy_headers=False,  # X-Forwarded-For is read by the app, from trusted proxies only
    )


def _add_check_counts(sub: argparse._SubParsersAction) -> None:
    p_counts = sub.add_parser("check-counts", help="đối chiếu bộ đếm hàng đợi với số hồ sơ thực tế")
    p_counts.add_argument("--repair", action="store_true", help="dựng lại nếu có sai lệch")


def main(argv: list[str] | None = None) -> None:
    _run(_parser().parse_args(argv))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="motcua", description="Cổng dịch vụ công Một Cửa")
    sub = parser.add_subparsers(dest="command", required=True)
    p_serve = sub.add_parser("serve", help="chạy cổng (nhiều tiến trình)")
    p_serve.add_argument("--host")
    p_serve.add_argument("--port", type=int)
    p_serve.add_argument("--workers", type=int)
    sub.add_parser("migrate", help="tạo/nâng cấp cơ sở dữ liệu")
    p_seed = sub.add_parser("seed-demo", help="nạp cơ quan và danh mục thủ tục mẫu")
    p_seed.add_argument("--if-empty", action="store_true", help="bỏ qua nếu đã có dữ liệu")
    p_import = sub.add_parser("import-catalogue", help="nạp danh mục thủ tục từ tệp JSON")
    p_import.add_argument("file", type=Path)
    p_import.add_argument(
        "--effective-on", type=date.fromisoformat, default=None, help="ngày hiệu lực (YYYY-MM-DD)"
    )
    _add_create_officer(sub)
    _add_calendar_day(sub)
    sub.add_parser("rebuild-statistics", help="tính lại số liệu thống kê từ lịch sử hồ sơ")
    _add_check_counts(sub)
    return parser


def _add_create_officer(sub: argparse._SubParsersAction) -> None:
    p_officer = sub.add_parser("create-officer", help="tạo tài khoản cán bộ")
    p_officer.add_argument("username")
    p_officer.add_argument("--full-name", required=True)
    p_officer.add_argument(
        "--agency", required=True, help="mã định danh cơ quan, ví dụ 000.00.31.H99"
    )
    p_officer.add_argument(
        "--roles",
        required=True,
        help="receptionist,specialist,leader,administrator (phân cách bởi dấu phẩy)",
    )
    p_officer.add_argument("--email")
    p_officer.add_argument("--password", help="bỏ trống để nhập an toàn")


def _add_calendar_day(sub: argparse._SubParsersAction) -> None:
    p_day = sub.add_parser("calendar-day", help="khai báo ngày làm việc bù hoặc ngày nghỉ thêm")
    p_day.add_argument("day", type=date.fromisoformat, help="YYYY-MM-DD")
    kind = p_day.add_mutually_exclusive_group(required=True)
    kind.add_argument("--working", action="store_true", help="ngày làm việc (ví dụ thứ Bảy làm bù)")
    kind.add_argument("--off", action="store_true", help="ngày nghỉ thêm")
    p_day.add_argument("--reason", required=True)
    p_day.add_argument("--source", default="", help="văn bản thông báo")


def _run(args: argparse.Namespace) -> None:
    if args.command == "serve":
        serve(args)
    elif args.command == "migrate":
        asyncio.run(migrate())
    elif args.command == "seed-demo":
        asyncio.run(seed_demo(args.if_empty))
    elif args.command == "calendar-day":
        asyncio.run(calendar_day(args.day, args.working, args.reason, args.source))
    elif args.command == "create-officer":
        asyncio.run(create_officer_command(args))
    elif args.command == "rebuild-statistics":
        asyncio.run(rebuild_statistics())
    elif args.command == "check-counts":
        asyncio.run(check_counts(args.repair))
    elif args.command == "import-catalogue":
        asyncio.run(import_catalogue_file(args.file, args.effective_on or date.today()))


if __name__ == "__main__":
    main()
