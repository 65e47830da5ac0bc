"""Relays inside the sandbox, between its own network namespace and unix sockets the grader holds.

Runs confined in the same bwrap sandbox, cgroup and limits as the learner's server. Started with
`python3 -I -S` (no site-packages) for a fast start. Each argument is one route:

  in:SOCKET:PORT    the grader connects to unix SOCKET -> 127.0.0.1:PORT (the server's HTTP port)
  out:PORT:SOCKET   the server connects to 127.0.0.1:PORT -> unix SOCKET (a grader-run service)

Every listener is bound before the process forks into the background and the foreground exits 0,
so whatever starts next (the server) can rely on the routes being there.
"""

import asyncio
import os
import socket
import sys

CHUNK = 65536


async def pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            data = await reader.read(CHUNK)
            if not data:
                break
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass


async def close(writer: asyncio.StreamWriter) -> None:
    try:
        writer.close()
        await writer.wait_closed()
    except (ConnectionError, OSError):
        pass


async def splice(client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter, connect) -> None:
    try:
        up_r, up_w = await connect()
    except OSError:
        # Nobody listens on the other side (yet): close, so the caller sees a reset and may retry.
        await close(client_w)
        return
    to_up = asyncio.ensure_future(pump(client_r, up_w))
    to_client = asyncio.ensure_future(pump(up_r, client_w))
    # HTTP clients do not half-close; when either side ends, the exchange is over.
    await asyncio.wait({to_up, to_client}, return_when=asyncio.FIRST_COMPLETED)
    to_up.cancel()
    to_client.cancel()
    await close(up_w)
    await close(client_w)


def bind_route(route: str):
    """A bound listening socket and the coroutine factory that connects to the other side."""
    kind, a, b = route.split(":", 2)
    if kind == "in":
        path, port = a, int(b)
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.bind(path)
        return "unix", sock, lambda: asyncio.open_connection("127.0.0.1", port)
    if kind == "out":
        port, path = int(a), b
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", port))
        return "tcp", sock, lambda: asyncio.open_unix_connection(path)
    raise SystemExit(f"http-relay: unknown route {route!r}")


async def serve(bound) -> None:
    servers = []
    for family, sock, connect in bound:
        handler = lambda r, w, connect=connect: splice(r, w, connect)  # noqa: E731
        start = asyncio.start_unix_server if family == "unix" else asyncio.start_server
        servers.append(await start(handler, sock=sock))
    await asyncio.gather(*(s.serve_forever() for s in servers))


def main() -> None:
    bound = [bind_route(route) for route in sys.argv[1:]]
    for _, sock, _ in bound:
        sock.listen(128)
    if os.fork() != 0:
        os._exit(0)
    asyncio.run(serve(bound))


if __name__ == "__main__":
    main()
