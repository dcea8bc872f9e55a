# Condition: waiters wake in order, notify(n) wakes n, notify_all the rest, each taking the lock again
# before its wait returns; wait_for checks its predicate after each notification; a waiter cancelled still
# takes the lock again before it raises; wait and notify without the lock are refused. BoundedSemaphore
# refuses a release above its initial value.
import asyncio
async def main():
    cond = asyncio.Condition()
    log = []
    async def waiter(name):
        async with cond:
            await cond.wait()
            log.append(name + " woke holding " + str(cond.locked()))
    tasks = [asyncio.create_task(waiter(n)) for n in "ABCD"]
    await asyncio.sleep(0)
    async with cond:
        cond.notify(2)
    await asyncio.sleep(0); await asyncio.sleep(0)
    print("after notify(2):", log)
    async with cond:
        cond.notify_all()
    await asyncio.gather(*tasks)
    print("after notify_all:", log)
    items = []
    async def consumer():
        async with cond:
            got = await cond.wait_for(lambda: len(items) >= 2)
            print("wait_for gave", got, "items", items)
    c = asyncio.create_task(consumer())
    for i in range(3):
        await asyncio.sleep(0)
        async with cond:
            items.append(i); cond.notify()
    await c
    async def cancelled_waiter():
        async with cond:
            try:
                await cond.wait()
            except asyncio.CancelledError:
                print("cancelled waiter holds the lock:", cond.locked())
                raise
    t = asyncio.create_task(cancelled_waiter())
    await asyncio.sleep(0)
    async with cond:
        t.cancel()
        await asyncio.sleep(0)
        print("main still holds the lock:", cond.locked())
    try: await t
    except asyncio.CancelledError: print("waiter cancelled")
    for name, call in (("wait", lambda: cond.wait()), ("notify", lambda: cond.notify())):
        try:
            r = call()
            if asyncio.iscoroutine(r): await r
            print(name, "without the lock: allowed")
        except RuntimeError: print(name, "without the lock: refused")
    s = asyncio.BoundedSemaphore(1)
    await s.acquire(); s.release()
    try: s.release(); print("release above the bound: allowed")
    except ValueError: print("release above the bound: refused")
asyncio.run(main())
