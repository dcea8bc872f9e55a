# A timeout of 0 (or less): the deadline has passed, so it expires before the code inside gets a second turn.
import asyncio
async def quick():
    await asyncio.sleep(0)
    return "finished"
async def main():
    for delay in (0, -5):
        try:
            async with asyncio.timeout(delay / 1000):
                print(await quick())
        except TimeoutError:
            print("TimeoutError", delay)
asyncio.run(main())
