import pytest
from litestar.testing import AsyncTestClient

from app.main import create_app


@pytest.fixture(scope="session")
async def client(demo_db):
    async with AsyncTestClient(app=create_app()) as client:
        yield client
