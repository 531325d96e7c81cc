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


async def test_a_key_goes_to_the_waiters_in_the_order_they_came():
    locks = KeyLocks()
    order: list[str] = []
    let_go = asyncio.Event()

    async def one(name: str) -> None:
        async with locks.hold("address:x", f"code:{name}"):
            order.append(name)
            await asyncio.sleep(0)

    task = await _held_until(locks, "address:x", let_go)
    waiting = [asyncio.create_task(one(n)) for n in ("1", "2", "3")]
    await asyncio.sleep(0.01)
    let_go.set()
    await asyncio.sleep(0)  # the holder lets go; a newcomer arrives at once
    newcomer = asyncio.create_task(one("new"))
    await asyncio.gather(task, *waiting, newcomer)
    assert order == ["1", "2", "3", "new"]


async def test_other_keys_do_not_wait_and_a_cancelled_waiter_leaves_the_line():
    locks = KeyLocks()
    let_go = asyncio.Event()
    task = await _held_until(locks, "address:x", let_go)
    async with locks.hold("address:y"):  # another address: at once
        pass
    stuck = asyncio.create_task(_enter(locks, "address:x"))
    behind = asyncio.create_task(_enter(locks, "address:x"))
    await asyncio.sleep(0.01)
    stuck.cancel()
    let_go.set()
    await asyncio.wait_for(asyncio.gather(task, behind), 5)  # the one behind still gets it
    assert stuck.cancelled()
    assert not locks._held and not locks._waiters
    async with locks.hold("address:x"):  # and the key is free again
        pass


async def _enter(locks: KeyLocks, key: str) -> None:
    async with locks.hold(key):
        await asyncio.sleep(0)


async def _held_until(locks: KeyLocks, key: str, let_go: asyncio.Event) -> asyncio.Task:
    """A task holding ``key`` (already inside) until ``let_go`` is set."""
    inside = asyncio.Event()

    async def holder() -> None:
        async with locks.hold(key):
            inside.set()
            await let_go.wait()

    task = asyncio.create_task(holder())
    await inside.wait()
    return task
