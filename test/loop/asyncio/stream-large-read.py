# A read that needs more than the reader buffers before it stops reading its socket (64 KiB): the socket
# reads on while the task waits, so the read gets all 200,000 bytes.
import asyncio
N = 200_000
async def serve(r, w):
    w.write(b"a" * N); await w.drain(); w.close()
async def attempt(label, fn):
    srv = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = srv.sockets[0].getsockname()[1]
    r, w = await asyncio.open_connection("127.0.0.1", port)
    try:
        data = await asyncio.wait_for(fn(r), 5)
        print(label, "got", len(data))
    except asyncio.TimeoutError:
        print(label, "timed out")
    w.close(); await w.wait_closed()
    srv.close(); await srv.wait_closed()
async def main():
    await attempt("read(-1)", lambda r: r.read(-1))
    await attempt("readexactly(N)", lambda r: r.readexactly(N))
asyncio.run(main())
