# A server and a connection left open when run() returns: the handler is cancelled at shutdown, and the
# program ends (the loop's sockets no longer keep the process alive).
import asyncio
async def serve(r, w):
    try:
        await r.read()
    except asyncio.CancelledError:
        print("handler cancelled at shutdown")
        raise
async def main():
    srv = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = srv.sockets[0].getsockname()[1]
    r, w = await asyncio.open_connection("127.0.0.1", port)
    await asyncio.sleep(0.02)
    return "main done, nothing closed"
print(asyncio.run(main()))
print("after run")
