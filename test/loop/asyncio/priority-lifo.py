# asyncio.PriorityQueue and LifoQueue, counted in loop iterations (a ticker counts them): a heap hands out
# the smallest entry first, tuples compared element by element (priority, then name); entries that only
# compare by priority come out of equal priorities in heapq's order, not the order they were put in; a
# LifoQueue hands out the newest first. Bounded queues make the producer wait; join waits for task_done.
# An entry that cannot be compared with those in the heap is refused with TypeError.
import asyncio
it = 0
async def ticker():
    global it
    while it < 60:
        await asyncio.sleep(0)
        it += 1
def log(*a): print(it, *a)
class Job:
    def __init__(self, priority, name): self.priority, self.name = priority, name
    def __lt__(self, other): return self.priority < other.priority
async def main():
    tk = asyncio.create_task(ticker())
    await asyncio.sleep(0)
    q = asyncio.PriorityQueue()
    for entry in [(3, "c"), (1, "b"), (2, "z"), (1, "a"), (5, "e"), (2, "y"), (0, "first")]:
        q.put_nowait(entry)
    log("tuples:", [q.get_nowait() for _ in range(q.qsize())])
    for n in [5, 3.5, -1, 8, 3, 0]: q.put_nowait(n)
    log("numbers:", [q.get_nowait() for _ in range(q.qsize())])
    for w in ["pear", "apple", "Zebra", "apples", ""]: q.put_nowait(w)
    log("strings:", [q.get_nowait() for _ in range(q.qsize())])
    jobs = [Job(p, f"{p}{name}") for p, name in zip([2, 1, 2, 1, 1, 2, 0, 1, 2, 1], "abcdefghij")]
    for job in jobs: q.put_nowait(job)
    order = []
    while not q.empty():
        order.append(q.get_nowait().name)
        if len(order) == 3:
            for job in (Job(1, "1k"), Job(2, "2l")): q.put_nowait(job)
    log("equal priorities:", order)
    q.put_nowait((1, "a"))
    try: q.put_nowait((1, 2)); log("(1, 2) after (1, 'a'): allowed")
    except TypeError: log("(1, 2) after (1, 'a'): TypeError")
    bounded = asyncio.PriorityQueue(2)
    async def producer():
        for entry in [(4, "d"), (2, "b"), (3, "c"), (1, "a"), (9, "end")]:
            await bounded.put(entry)
            log("put", entry, "size", bounded.qsize())
    async def consumer():
        while True:
            priority, name = await bounded.get()
            log("got", name)
            await asyncio.sleep(0)
            bounded.task_done()
            if name == "end": return
    p = asyncio.create_task(producer())
    await asyncio.sleep(0); await asyncio.sleep(0)
    c = asyncio.create_task(consumer())
    await bounded.join()
    log("priority queue joined")
    await asyncio.gather(p, c)
    lifo = asyncio.LifoQueue()
    for i in range(5): lifo.put_nowait(i)
    log("lifo:", [lifo.get_nowait() for _ in range(3)], "left", lifo.qsize())
    lifo.put_nowait(10)
    log("then:", [lifo.get_nowait() for _ in range(lifo.qsize())])
    stack = asyncio.LifoQueue(2)
    async def stacker():
        for i in range(5):
            await stack.put(i)
            log("pushed", i)
    async def popper():
        for _ in range(5):
            item = await stack.get()
            log("popped", item)
            stack.task_done()
            await asyncio.sleep(0); await asyncio.sleep(0)
    s = asyncio.create_task(stacker())
    await asyncio.sleep(0)
    t = asyncio.create_task(popper())
    await asyncio.sleep(0)
    await stack.join()
    log("lifo queue joined, empty", stack.empty())
    await asyncio.gather(s, t)
    await tk
asyncio.run(main())
