"""Every page that needs a session is behind a guard declared on its router or route."""

from app.main import create_app

OPEN = {
    "/mot-cua/dang-nhap",
    "/mot-cua/dang-nhap/ma-xac-thuc",
    "/tai-khoan/xa",
}
PRIVATE_PREFIXES = ("/mot-cua", "/quan-tri", "/ho-so", "/tai-khoan")


def _handlers():
    app = create_app()
    for route in app.routes:
        for handler in route.route_handlers:
            if "OPTIONS" not in (handler.http_methods or set()):
                yield route.path, handler


def test_every_private_page_has_a_guard_and_the_public_ones_none():
    unguarded, guarded_public = [], []
    for path, handler in _handlers():
        private = path.startswith(PRIVATE_PREFIXES) and path not in OPEN
        has_guard = bool(handler.resolve_guards())
        if private and not has_guard:
            unguarded.append(path)
        if path in OPEN and has_guard:
            guarded_public.append(path)
    assert unguarded == [] and guarded_public == []


def test_role_pages_are_guarded_by_their_role():
    guards = {handler.name: handler.resolve_guards() for _, handler in _handlers()}
    # the officer guard plus the role's own
    assert len(guards["admin.officers"]) == 1 and len(guards["desk.report"]) == 2
    assert len(guards["desk.intake"]) == 2 and len(guards["desk.home"]) == 1


def test_role_actions_on_a_dossier_are_guarded_by_their_role():
    guards = {handler.name: handler.resolve_guards() for _, handler in _handlers()}
    for name in ("desk.collect_fee", "desk.deliver", "desk.priority", "desk.ratings.answer"):
        assert len(guards[name]) == 2, name  # the officer guard plus the role's own
    assert len(guards["desk.act"]) == 1  # lifecycle actions: the table decides who may
