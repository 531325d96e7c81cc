from litestar.testing import AsyncTestClient
from app.main import create_app
from app.models import Dossier, DossierEvent, Outbox, Attachment
from tests.integration.helpers import register, csrf_token

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 100

async def test_explore(demo_db):
    async with AsyncTestClient(app=create_app()) as c:
        r = await register(c, "0938000999")
        print(r.status_code, r.headers.get("location"))
        r = await c.get("/thu-tuc/P19/nop-ho-so", follow_redirects=False)
        print(r.status_code, r.headers.get("location"))
        loc = r.headers["location"]
        page = await c.get(loc)
        print(page.text[page.text.find('<form'):page.text.find('</form>')][:3000])
        for a in app_routes():
            pass
        ref = loc.split("/")[2]
        tok = await csrf_token(c, loc)
        r = await c.post(f"/ho-so/{ref}/buoc/noi_nop", data={"_csrf_token": tok, "co_quan": "000.00.32.H99"}, files={"x": ("", b"", "application/octet-stream")}, follow_redirects=False)
        print(r.status_code, r.headers.get("location"), r.text[:300])
        loc = r.headers["location"]
        page = await c.get(loc)
        print(page.text[page.text.find('<form'):page.text.find('</form>')][:3000])

def app_routes():
    app = create_app()
    for r in app.routes:
        print(r.path, getattr(r, "methods", None), [h.name for h in r.route_handlers])
    return []
