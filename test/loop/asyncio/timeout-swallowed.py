# A timeout whose cancellation the code inside swallows: the timeout withdraws it all the same, so the
# task's cancelling() is back to 0 and an enclosing timeout still raises TimeoutError.
import asyncio
async def stubborn():
    try: await asyncio.sleep(1)
    except asyncio.CancelledError: print("swallowed")
    return "value"
async def main():
    async with asyncio.timeout(0.01):
        r = await stubborn()
    print(r, "cancelling", asyncio.current_task().cancelling())
    try:
        async with asyncio.timeout(0.05):
            async with asyncio.timeout(0.01):
                await stubborn()
            await asyncio.sleep(1)
    except TimeoutError:
        print("outer TimeoutError", "cancelling", asyncio.current_task().cancelling())
try: asyncio.run(main())
except asyncio.CancelledError: print("run raised CancelledError")
