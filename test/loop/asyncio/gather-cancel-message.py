# A task cancelled with a message while it awaits a gather: the gather's children are cancelled with it, and
# the gather raises the last child's cancellation, message included.
import asyncio
async def leaf():
    try: await asyncio.sleep(1)
    except asyncio.CancelledError as e: print("leaf saw", e.args); raise
async def main():
    t = asyncio.create_task(leaf())
    await asyncio.sleep(0)
    asyncio.current_task().cancel("MSG1")
    try: await asyncio.gather(t, return_exceptions=True)
    except asyncio.CancelledError as e: print("main saw", e.args)
asyncio.run(main())
