# Where cancellations land, counted in loop iterations: a gather's waiter, a failing task group, a
# shield's waiter, a task awaiting another task.
import asyncio
it = 0
async def ticker():
    global it
    while it < 60:
        await asyncio.sleep(0)
        it += 1
def log(*a): print(it, *a)
async def child(n, k, fail=False):
    try:
        for _ in range(k): await asyncio.sleep(0)
        if fail: log("child", n, "raises"); raise KeyError(n)
        return n
    except asyncio.CancelledError:
        log("child", n, "cancelled")
        raise
async def main():
    tk = asyncio.create_task(ticker())
    await asyncio.sleep(0)
    async def g1():
        return await asyncio.gather(child(1, 100), child(2, 100))
    t = asyncio.create_task(g1())
    await asyncio.sleep(0); await asyncio.sleep(0)
    log("cancel gather waiter"); t.cancel()
    try: await t
    except asyncio.CancelledError: log("gather waiter cancelled")
    try:
        async with asyncio.TaskGroup() as g:
            g.create_task(child(3, 100)); g.create_task(child(4, 2, True))
            await child(5, 100)
    except BaseExceptionGroup:
        log("group failed")
    async def sh():
        return await asyncio.shield(child(6, 3))
    t = asyncio.create_task(sh())
    await asyncio.sleep(0)
    t.cancel()
    try: await t
    except asyncio.CancelledError: log("shield waiter cancelled")
    await asyncio.sleep(0); await asyncio.sleep(0); await asyncio.sleep(0)
    inner = asyncio.create_task(child(7, 100))
    async def mid(): return await inner
    t = asyncio.create_task(mid())
    await asyncio.sleep(0)
    t.cancel()
    try: await t
    except asyncio.CancelledError: log("mid cancelled", inner.cancelled())
    await tk
asyncio.run(main())
