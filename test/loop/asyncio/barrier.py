# asyncio.Barrier, counted in loop iterations (a ticker counts them): rounds of three, each task with
# its arrival index, the last to arrive not waiting; a task that comes back for the next round while the
# last one drains waits until it has drained; abort breaks the waits and every later one until reset;
# reset while tasks wait sends them away with BrokenBarrierError; a waiter cancelled while the barrier
# fills leaves its place (and its index) to the next arrival; one cancelled while it drains raises
# CancelledError all the same, and the barrier fills again once it has left.
import asyncio
it = 0
async def ticker():
    global it
    while it < 80:
        await asyncio.sleep(0)
        it += 1
def log(*a): print(it, *a)
async def main():
    tk = asyncio.create_task(ticker())
    await asyncio.sleep(0)
    b = asyncio.Barrier(3)
    log("parties", b.parties, "n_waiting", b.n_waiting, "broken", b.broken)
    async def party(barrier, name, rounds, delay):
        for r in range(rounds):
            for _ in range(delay): await asyncio.sleep(0)
            index = await barrier.wait()
            log(name, "round", r, "index", index, "n_waiting", barrier.n_waiting)
    await asyncio.gather(party(b, "A", 2, 1), party(b, "B", 2, 2), party(b, "C", 2, 3))
    log("rounds done, n_waiting", b.n_waiting)
    # A comes back at once while B drains.
    b2 = asyncio.Barrier(2)
    async def again(name):
        log(name, "index", await b2.wait())
        log(name, "again: index", await b2.wait(), "n_waiting", b2.n_waiting)
    t = asyncio.create_task(again("A"))
    await asyncio.sleep(0)
    log("B index", await b2.wait(), "n_waiting", b2.n_waiting)
    log("B again (A has not left): index", await b2.wait())
    await t
    # abort
    b3 = asyncio.Barrier(3)
    async def broken(name):
        try: await b3.wait()
        except asyncio.BrokenBarrierError: log(name, "BrokenBarrierError, broken", b3.broken)
    ts = [asyncio.create_task(broken(n)) for n in "AB"]
    await asyncio.sleep(0)
    log("n_waiting", b3.n_waiting, "abort")
    await b3.abort()
    log("n_waiting after abort", b3.n_waiting)
    await asyncio.gather(*ts)
    try: await b3.wait()
    except asyncio.BrokenBarrierError: log("wait on a broken barrier: BrokenBarrierError")
    await b3.reset()
    log("reset: broken", b3.broken, "n_waiting", b3.n_waiting)
    # reset while waiting
    ts = [asyncio.create_task(broken(n)) for n in "CD"]
    await asyncio.sleep(0)
    log("n_waiting", b3.n_waiting, "reset")
    late = asyncio.create_task(party(b3, "E", 1, 0))
    await b3.reset()
    log("n_waiting after reset", b3.n_waiting, "broken", b3.broken)
    await asyncio.gather(*ts)
    log("E came while resetting, now n_waiting", b3.n_waiting)
    late.cancel()
    try: await late
    except asyncio.CancelledError: log("E cancelled, n_waiting", b3.n_waiting)
    # a waiter cancelled while filling
    b4 = asyncio.Barrier(3)
    async def member(name):
        try: log(name, "index", await b4.wait())
        except asyncio.CancelledError: log(name, "cancelled, n_waiting", b4.n_waiting); raise
    p, q = asyncio.create_task(member("P")), asyncio.create_task(member("Q"))
    await asyncio.sleep(0)
    p.cancel()
    await asyncio.sleep(0)
    log("after P left: n_waiting", b4.n_waiting)
    r, s = asyncio.create_task(member("R")), asyncio.create_task(member("S"))
    await asyncio.gather(q, r, s)
    # a waiter cancelled while draining
    b5 = asyncio.Barrier(2)
    async def drained(name):
        try: log(name, "index", await b5.wait())
        except asyncio.CancelledError: log(name, "cancelled while draining, n_waiting", b5.n_waiting); raise
    x = asyncio.create_task(drained("X"))
    await asyncio.sleep(0)
    nxt = asyncio.create_task(drained("Z"))
    log("Y index", await b5.wait())
    x.cancel()
    await asyncio.sleep(0)
    log("Z came while draining: n_waiting", b5.n_waiting)
    try: await x
    except asyncio.CancelledError: log("X cancelled: n_waiting", b5.n_waiting)
    log("W index", await b5.wait())
    await nxt
    try: asyncio.Barrier(0)
    except ValueError: log("Barrier(0): ValueError")
    await tk
asyncio.run(main())
