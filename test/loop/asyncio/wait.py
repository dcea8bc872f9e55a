# asyncio.wait: FIRST_COMPLETED, FIRST_EXCEPTION and ALL_COMPLETED, counted in loop iterations (a ticker
# counts them): a completion reaches wait through a done callback, one iteration, and wakes the waiting
# task, one more; a future already done takes those two as well. A timeout returns what is done and
# cancels nothing; cancelling the waiting task leaves the futures running. A failure read by
# FIRST_EXCEPTION counts as retrieved; one wait only returned is reported as never retrieved. The
# arguments asyncio refuses: none, a bad return_when, a coroutine, a future alone.
import asyncio
it = 0
async def ticker():
    global it
    while it < 100:
        await asyncio.sleep(0)
        it += 1
def log(*a): print(it, *a)
async def child(n, k, fail=False):
    for _ in range(k): await asyncio.sleep(0)
    if fail: raise KeyError(n)
    return n
def spawn(n, k, fail=False): return asyncio.create_task(child(n, k, fail), name=n)
def names(fs): return " ".join(sorted(f.get_name() for f in fs)) or "-"
async def main():
    loop = asyncio.get_running_loop()
    tk = asyncio.create_task(ticker())
    await asyncio.sleep(0)
    log("start")
    a, b, c = spawn("a", 2), spawn("b", 4), spawn("c", 6)
    done, pending = await asyncio.wait([a, b, c], return_when=asyncio.FIRST_COMPLETED)
    log("FIRST_COMPLETED done", names(done), "pending", names(pending))
    done, pending = await asyncio.wait([b, c])
    log("ALL_COMPLETED done", names(done), "pending", names(pending), [t.result() for t in (a, b, c)])
    d, e, f = spawn("d", 2), spawn("e", 3, True), spawn("f", 8)
    done, pending = await asyncio.wait([d, e, f], return_when=asyncio.FIRST_EXCEPTION)
    log("FIRST_EXCEPTION done", names(done), "pending", names(pending))
    done, pending = await asyncio.wait([f], return_when=asyncio.FIRST_EXCEPTION)
    log("FIRST_EXCEPTION without a failure: done", names(done), "pending", names(pending))
    g, h = spawn("g", 1), spawn("h", 2, True)
    done, pending = await asyncio.wait([g, h])
    log("ALL_COMPLETED with a failure: done", names(done), "h failed", type(h.exception()).__name__)
    u = spawn("u", 1, True)
    done, pending = await asyncio.wait([u, spawn("v", 3)], return_when=asyncio.FIRST_COMPLETED)
    log("u done, its failure not read:", names(done))
    w = spawn("w", 1, True)
    await asyncio.wait([w, spawn("x", 3)], return_when=asyncio.FIRST_EXCEPTION)
    log("w failed, read by FIRST_EXCEPTION only")
    ready = loop.create_future(); ready.set_result(1)
    log("already done: before")
    done, pending = await asyncio.wait([ready, ready])
    log("already done: after", len(done), len(pending))
    k1, k2 = spawn("k1", 2), spawn("k2", 100)
    k2.cancel()
    done, pending = await asyncio.wait([k1, k2], return_when=asyncio.FIRST_EXCEPTION)
    log("a cancelled task is no exception: done", names(done), "pending", names(pending))
    s1, s2 = spawn("s1", 100), spawn("s2", 100)
    waiter = asyncio.create_task(asyncio.wait([s1, s2]))
    await asyncio.sleep(0); await asyncio.sleep(0)
    waiter.cancel()
    try: await waiter
    except asyncio.CancelledError: log("waiter cancelled; s1 and s2 still running:", not s1.done(), not s2.done())
    s1.cancel(); s2.cancel()
    await tk
    async def slow(n, seconds):
        await asyncio.sleep(seconds)
        return n
    q, r = asyncio.create_task(slow("q", 0.01), name="q"), asyncio.create_task(slow("r", 0.3), name="r")
    done, pending = await asyncio.wait([q, r], timeout=0.1)
    print("timeout: done", names(done), "pending", names(pending), "r cancelled:", r.cancelled())
    done, pending = await asyncio.wait([r], timeout=1)
    print("then r:", r.result())
    for what, call in (
        ("nothing", lambda: asyncio.wait([])),
        ("a bad return_when", lambda: asyncio.wait([r], return_when="FIRST")),
        ("a future alone", lambda: asyncio.wait(r)),
    ):
        try: await call(); print(what, "allowed")
        except (ValueError, TypeError) as error: print(what, "refused:", type(error).__name__)
    coro = child("z", 0)
    try: await asyncio.wait([coro]); print("a coroutine allowed")
    except TypeError as error: print("a coroutine refused:", type(error).__name__)
    coro.close()
asyncio.run(main())
