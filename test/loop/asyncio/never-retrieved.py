# Failures nobody read are reported when the loop ends: a shielded task whose shield was cancelled,
# a gather never awaited; not one whose exception a done callback read, nor return_exceptions' children.
import asyncio, gc
class Boom(Exception): pass
async def bad(d, m):
    await asyncio.sleep(d)
    raise Boom(m)
async def main():
    # shield: outer cancelled, inner fails later
    s = asyncio.shield(bad(0.02, "shielded-inner"))
    await asyncio.sleep(0)
    s.cancel()
    await asyncio.sleep(0.05)
    # gather never awaited, a child fails
    g = asyncio.gather(bad(0.01, "gather-child"))
    await asyncio.sleep(0.03)
    # gather with return_exceptions never awaited: no log
    g2 = asyncio.gather(bad(0.01, "gather-re-child"), return_exceptions=True)
    await asyncio.sleep(0.03)
    # task failing, only .exception() retrieved by done callback
    t = asyncio.create_task(bad(0.01, "cb-retrieved"))
    t.add_done_callback(lambda f: f.exception())
    await asyncio.sleep(0.03)
    # task with exception that was cancelled? (task fails, someone checks .done() only)
    t2 = asyncio.create_task(bad(0.01, "only-done-checked"))
    await asyncio.sleep(0.03)
    print("t2 done", t2.done())
    print("main ends")
asyncio.run(main())
gc.collect()
