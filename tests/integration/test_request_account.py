"""Who is asking is read in one statement: the session, the officer and the roles that must use
a second factor; a locked officer, an ended session or an unknown token are nobody."""

from datetime import UTC, datetime, timedelta

from app.db import DB
from app.models import Citizen, Officer
from app.services import mfa, request_account
from app.services.sessions import open_session


async def _officer(username: str) -> Officer:
    return await Officer.objects().where(Officer.username == username).first()


async def test_an_officers_session_gives_the_officer_as_the_table_holds_it(demo_db):
    officer = await _officer("xuly.hoabinh")
    found = await request_account.load(await open_session("officer", officer.id))
    assert isinstance(found.account, Officer) and not found.needs_mfa_setup
    for column in Officer._meta.columns:
        name = column._meta.name
        assert getattr(found.account, name) == getattr(officer, name), name
    assert found.session.account_id == officer.id


async def test_one_statement_answers_for_an_officer_whatever_the_second_factor_rules(demo_db):
    officer = await _officer("lanhdao.hoabinh")
    token = await open_session("officer", officer.id)
    engine = type(DB)
    original, statements = engine.run_querystring, []

    async def counted(self, querystring, in_pool=True):
        statements.append(str(querystring))
        return await original(self, querystring, in_pool=in_pool)

    engine.run_querystring = counted
    try:
        await request_account.load(token)
        await mfa.set_required_roles(["receptionist"])  # not this officer's role
        statements.clear()
        found = await request_account.load(token)
    finally:
        engine.run_querystring = original
        await mfa.set_required_roles([])
    assert len(statements) == 1, statements
    assert found.account is not None and found.mfa_roles == ["receptionist"]
    assert not found.needs_mfa_setup


async def test_a_required_second_factor_not_yet_on_is_said(demo_db):
    officer = await _officer("tiepnhan.tanlap")
    token = await open_session("officer", officer.id)
    await mfa.set_required_roles(["receptionist", "leader"])
    try:
        found = await request_account.load(token)
    finally:
        await mfa.set_required_roles([])
    assert found.account is not None and found.needs_mfa_setup
    assert sorted(found.mfa_roles) == ["leader", "receptionist"]


async def test_a_locked_officer_an_ended_session_and_an_unknown_token_are_nobody(demo_db):
    officer = await _officer("xuly.tanlap")
    token = await open_session("officer", officer.id)
    await Officer.update({Officer.is_active: False}).where(Officer.id == officer.id).run()
    try:
        assert (await request_account.load(token)).account is None
    finally:
        await Officer.update({Officer.is_active: True}).where(Officer.id == officer.id).run()
    assert (await request_account.load(token)).account is not None
    later = datetime.now(UTC) + timedelta(days=2)
    assert (await request_account.load(token, now=later)).account is None  # idle: ended
    assert (await request_account.load(token)).account is None  # and deleted
    assert (await request_account.load("no-such-token")).account is None
    assert (await request_account.load("")).account is None


async def test_a_citizens_session_gives_the_citizen(demo_db):
    citizen = await Citizen.objects().first()
    found = await request_account.load(await open_session("citizen", citizen.id))
    assert isinstance(found.account, Citizen) and found.account.id == citizen.id


async def test_an_officers_remembered_queue_view_comes_with_the_account(demo_db):
    from app.models import DeskView

    officer = await _officer("xuly.tanlap")
    token = await open_session("officer", officer.id)
    assert (await request_account.load(token)).saved_view == ""
    await DeskView.insert(
        DeskView(officer=officer.id, query="hang=qua-han&kenh=online", updated_at=datetime.now(UTC))
    )
    try:
        assert (await request_account.load(token)).saved_view == "hang=qua-han&kenh=online"
    finally:
        await DeskView.delete().where(DeskView.officer == officer.id)
