"""The illustrated help guides: ``/huong-dan`` and one page per guide."""

from __future__ import annotations

from litestar import Controller, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Template

from app.domain import guides
from app.routes.static import URLS


def _picture_url(name: str) -> str | None:
    """The hashed URL of a guide's picture; ``None`` while it has not been taken yet."""
    return URLS.get(f"guides/{name}")


class GuidesController(Controller):
    path = "/huong-dan"

    @get("/", name="guides.index")
    async def index(self) -> Template:
        return Template("pages/public/guides.html", context={"guides": guides.GUIDES})

    @get("/{slug:str}", name="guides.guide")
    async def guide(self, slug: FromPath[str]) -> Template:
        found = guides.guide(slug)
        if found is None:
            raise NotFoundException()
        return Template(
            "pages/public/guide.html",
            context={
                "guide": found,
                "pictures": {s.picture: _picture_url(s.picture) for s in found.steps},
                "nojs_pictures": {s.picture: _picture_url(s.nojs_picture) for s in found.steps},
                "width": guides.PICTURE_WIDTH,
                "height": guides.PICTURE_HEIGHT,
                "others": [g for g in guides.GUIDES if g.slug != slug],
            },
        )
