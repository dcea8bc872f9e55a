# The peer resets the connection: a read raises the reset even with data buffered, wait_closed raises it,
# and a loop of writes and drains ends with it instead of spinning.
import asyncio, socket, struct
def reset(w):
    w.get_extra_info("socket").setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    w.transport.abort()
async def partial_then_reset(r, w):
    w.write(b"partial"); await w.drain()
    await asyncio.sleep(0.05)
    reset(w)
async def reset_after_read(r, w):
    await r.read(10)
    reset(w)
async def main():
    srv = await asyncio.start_server(partial_then_reset, "127.0.0.1", 0)
    r, w = await asyncio.open_connection("127.0.0.1", srv.sockets[0].getsockname()[1])
    await asyncio.sleep(0.3)
    try:
        print("read(-1) returned", (await r.read(-1)).decode())
    except ConnectionResetError:
        print("read(-1) raised ConnectionResetError")
    w.close()
    try:
        await w.wait_closed(); print("wait_closed returned")
    except ConnectionResetError:
        print("wait_closed raised ConnectionResetError")
    srv.close(); await srv.wait_closed()
    srv = await asyncio.start_server(reset_after_read, "127.0.0.1", 0)
    r, w = await asyncio.open_connection("127.0.0.1", srv.sockets[0].getsockname()[1])
    outcome = "no error after 2000 writes"
    for i in range(2000):
        try:
            w.write(b"x" * 65536)
            await w.drain()
        except ConnectionResetError:
            outcome = "drain raised ConnectionResetError"
            break
    print(outcome)
    w.close()
    try: await w.wait_closed()
    except ConnectionResetError: pass
    srv.close(); await srv.wait_closed()
asyncio.run(main())
