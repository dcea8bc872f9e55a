# How many loop iterations each kind of await takes (a ticker counts them): a task, gather, shield, a
# future set by a callback, a failing gather, a timeout, a task group, a cancelled task, sleep(0).
import asyncio
it = 0
async def ticker():
    global it
    while it < 40:
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
    t = asyncio.create_task(child(1, 2))
    log("await task ->", await t)
    log("gather ->", await asyncio.gather(child(2, 1), child(3, 3)))
    log("shield ->", await asyncio.shield(child(4, 1)))
    f = loop.create_future()
    loop.call_soon(f.set_result, 5)
    log("future ->", await f)
    try:
        await asyncio.gather(child(6, 1, True), child(7, 5))
    except KeyError:
        log("gather failed")
    async with asyncio.timeout(1):
        log("timeout ->", await child(8, 2))
    async with asyncio.TaskGroup() as g:
        a = g.create_task(child(9, 2))
    log("taskgroup ->", a.result())
    t = asyncio.create_task(child(10, 5))
    await asyncio.sleep(0)
    t.cancel()
    try: await t
    except asyncio.CancelledError: log("cancelled task")
    log("sleep0 value ->", await asyncio.sleep(0, "sv"))
    await tk
asyncio.run(main())
