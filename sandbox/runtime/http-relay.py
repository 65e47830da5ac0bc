"""Relay inside the sandbox: unix socket (bind-mounted, reachable by the grader) -> 127.0.0.1:PORT.

Runs confined in the same bwrap sandbox, cgroup and limits as the learner's server. Started with
`python3 -I -S` (no site-packages) for a fast start. Usage: http-relay.py SOCKET_PATH HOST PORT
"""

import asyncio
import os
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


async def handle(client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter, host: str, port: int) -> None:
    try:
        up_r, up_w = await asyncio.open_connection(host, port)
    except OSError:
        # The server is not listening (yet): close so the grader sees a reset and retries.
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


async def main() -> None:
    path, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    server = await asyncio.start_unix_server(lambda r, w: handle(r, w, host, port), path=path)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
