"""Key locks: one holder per key at a time, across event loops and threads; no lost wake-up."""

import asyncio
import threading

from app.services.key_locks import KeyLocks


def test_one_holder_per_key_across_loops_and_threads():
    locks = KeyLocks()
    inside: dict[str, int] = {"a": 0, "b": 0}
    most = {"a": 0, "b": 0}
    guard = threading.Lock()

    async def one(key: str) -> None:
        async with locks.hold(f"address:{key}", "code:shared" if key == "a" else "code:b"):
            with guard:
                inside[key] += 1
                most[key] = max(most[key], inside[key])
            await asyncio.sleep(0.001)
            with guard:
                inside[key] -= 1

    async def many(key: str) -> None:
        await asyncio.gather(*(one(key) for _ in range(40)))

    threads = [threading.Thread(target=asyncio.run, args=(many(k),)) for k in ("a", "a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    assert most == {"a": 1, "b": 1}
    assert inside == {"a": 0, "b": 0}
