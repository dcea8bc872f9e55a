# A task cancelled twice before it resumes sees the first cancel's message (the awaited future's).
import asyncio
async def w():
    try: await asyncio.sleep(1)
    except asyncio.CancelledError as e: print("inner saw", str(e)); raise
async def main():
    t = asyncio.create_task(w()); await asyncio.sleep(0)
    t.cancel("m1"); t.cancel("m2")
    try: await t
    except asyncio.CancelledError as e: print("awaiter saw", str(e))
asyncio.run(main())
