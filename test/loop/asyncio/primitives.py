# Locks, semaphores, queues and timers as asyncio hands them out: a lock released while its first waiter
# is being cancelled goes to one task at a time; a woken semaphore waiter is not overtaken by a newcomer
# (locked() says so); join() gives None; a timer of negative delay runs before one of delay 0.
import asyncio
async def lock_cancelled_waiter():
    lock = asyncio.Lock(); await lock.acquire(); inside = []
    async def w(n):
        await lock.acquire(); inside.append(n); print(n, "holds the lock with", "".join(inside))
        await asyncio.sleep(0); inside.remove(n); lock.release()
    a, b, c = (asyncio.create_task(w(n)) for n in "ABC")
    await asyncio.sleep(0)
    a.cancel(); lock.release()
    print([type(r).__name__ for r in await asyncio.gather(a, b, c, return_exceptions=True)])
async def semaphore_fairness():
    s = asyncio.Semaphore(0)
    async def w(name):
        await s.acquire(); print(name, "acquired")
    a = asyncio.create_task(w("A"))
    await asyncio.sleep(0)
    s.release(); s.release()
    print("locked", s.locked())
    await s.acquire(); print("main acquired")
    await a
async def queue_join():
    q = asyncio.Queue()
    q.put_nowait(1); q.get_nowait(); q.task_done()
    print("join gives", await q.join())
async def timers():
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    loop.call_later(0, print, "delay 0")
    loop.call_later(-0.001, print, "delay -1")
    loop.call_soon(print, "soon")
    loop.call_later(0.01, done.set_result, None)
    await done
async def main():
    for part in (lock_cancelled_waiter, semaphore_fairness, queue_join, timers):
        await part()
asyncio.run(main())
