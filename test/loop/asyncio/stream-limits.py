# A reader's limit: a line or a chunk before the separator longer than it fails (the line dropped by
# readline, the chunk kept by readuntil), one within it is read; an empty separator and a negative size
# are refused.
import asyncio
async def main():
    r = asyncio.StreamReader(limit=8)
    r.feed_data(b"0123456789abc\nxy\n")
    try: print("readline", repr(await r.readline()))
    except ValueError: print("readline: line longer than the limit")
    print("next", repr(await r.readline()))
    r = asyncio.StreamReader(limit=8)
    r.feed_data(b"0123456789|")
    try: print("readuntil", repr(await r.readuntil(b"|")))
    except asyncio.LimitOverrunError as e: print("readuntil: LimitOverrunError consumed", e.consumed)
    print("buffer kept", repr(await r.read(100)))
    r = asyncio.StreamReader(limit=8)
    r.feed_data(b"0123456789")
    try: print("readuntil", repr(await r.readuntil(b"|")))
    except asyncio.LimitOverrunError as e: print("readuntil: LimitOverrunError consumed", e.consumed)
    r = asyncio.StreamReader(limit=8); r.feed_data(b"1234567\n")
    print("within the limit", repr(await r.readline()))
    for name, call in (("empty separator", lambda: r.readuntil(b"")), ("negative size", lambda: r.readexactly(-1))):
        try: await call(); print(name, "read")
        except ValueError: print(name, "refused")
    async def lines(r, w):
        w.write(b"0123456789\nshort\n"); await w.drain(); w.close()
    srv = await asyncio.start_server(lines, "127.0.0.1", 0)
    r, w = await asyncio.open_connection("127.0.0.1", srv.sockets[0].getsockname()[1], limit=8)
    try: print("connection readline", repr(await r.readline()))
    except ValueError: print("connection readline: line longer than the limit")
    print("connection next", repr(await r.readline()))
    w.close(); await w.wait_closed()
    srv.close(); await srv.wait_closed()
asyncio.run(main())
