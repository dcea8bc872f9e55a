# A server serves until closed. close() closes both ways: wait_closed returns without the peer closing its side; a write after close is
# dropped, drain after it raises ConnectionResetError; a write after write_eof raises, and the reply to
# what was sent still arrives.
import asyncio
async def idle(r, w):
    await asyncio.sleep(0.5)
    w.close()
async def echo_all(r, w):
    data = await r.read()
    w.write(b"got " + data); await w.drain()
    w.close()
async def main():
    srv = await asyncio.start_server(idle, "127.0.0.1", 0)
    print("is_serving", srv.is_serving())
    r, w = await asyncio.open_connection("127.0.0.1", srv.sockets[0].getsockname()[1])
    loop = asyncio.get_running_loop()
    t0 = loop.time()
    print("is_closing before", w.is_closing())
    w.write(b"hello")
    w.close()
    print("is_closing after close", w.is_closing())
    await w.wait_closed()
    print("wait_closed returned early:", loop.time() - t0 < 0.3)
    w.write(b"more"); print("write after close: no error")
    try:
        await w.drain(); print("drain after close: no error")
    except ConnectionResetError:
        print("drain after close: ConnectionResetError")
    srv.close()
    print("is_serving after close", srv.is_serving())
    await srv.wait_closed()
    srv = await asyncio.start_server(echo_all, "127.0.0.1", 0)
    r, w = await asyncio.open_connection("127.0.0.1", srv.sockets[0].getsockname()[1])
    w.write(b"abc"); w.write(b"def")
    w.write_eof()
    try:
        w.write(b"late"); print("write after write_eof: no error")
    except RuntimeError:
        print("write after write_eof: RuntimeError")
    print("reply", (await r.read()).decode(), "at_eof", r.at_eof())
    w.close(); await w.wait_closed()
    srv.close(); await srv.wait_closed()
    print("done")
asyncio.run(main())
