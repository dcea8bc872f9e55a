# asyncio.as_completed: results in the order the work completes, counted in loop iterations (a ticker
# counts them); coroutines become tasks, a future already done comes first, each given once; an error
# is raised by its own await and the rest go on. With a timeout, the awaits not resolved by then raise
# TimeoutError, one each, and nothing is cancelled. Nothing to wait for yields nothing; a future alone
# is refused when the iteration starts.
import asyncio
it = 0
async def ticker():
    global it
    while it < 60:
        await asyncio.sleep(0)
        it += 1
def log(*a): print(it, *a)
async def child(n, k, fail=False):
    for _ in range(k): await asyncio.sleep(0)
    if fail: raise KeyError(n)
    return n
async def main():
    loop = asyncio.get_running_loop()
    tk = asyncio.create_task(ticker())
    await asyncio.sleep(0)
    log("start")
    a = asyncio.create_task(child("a", 5))
    ready = loop.create_future(); ready.set_result("ready")
    later = loop.create_future()
    loop.call_soon(later.set_result, "later")
    count = 0
    for next_ in asyncio.as_completed([a, child("b", 2), a, ready, child("c", 8), later]):
        count += 1
        log("got", await next_)
    log("awaitables handed out:", count)
    for next_ in asyncio.as_completed([child("d", 3), child("e", 1, True), child("f", 5)]):
        try: log("got", await next_)
        except KeyError as error: log("raised KeyError", error)
    log("nothing to wait for:", list(asyncio.as_completed([])))
    try:
        for next_ in asyncio.as_completed(a): pass
    except TypeError: log("a future alone: TypeError")
    await tk
    async def slow(n, seconds):
        await asyncio.sleep(seconds)
        return n
    r = asyncio.create_task(slow("r", 0.3))
    for next_ in asyncio.as_completed([slow("q", 0.01), r, slow("s", 0.4)], timeout=0.1):
        try: print("got", await next_)
        except asyncio.TimeoutError: print("TimeoutError")
    print("r cancelled:", r.cancelled(), "then r:", await r)
asyncio.run(main())
