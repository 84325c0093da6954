"""Another process writing to an SQLite database through the service's engine:
`python -m tests.server.db.sqlite.writer_process URL VALUE` opens a write
transaction, inserts VALUE into table `t`, prints `holding`, and commits when a line
arrives on its standard input (then prints `committed`)."""

from __future__ import annotations

import asyncio
import sys

from sqlalchemy import text

from server.db.engine import create_engine


async def hold_a_write(url: str, value: int) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("INSERT INTO t (value) VALUES (:v)"), {"v": value})
            print("holding", flush=True)
            await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
        print("committed", flush=True)
    finally:
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(hold_a_write(sys.argv[1], int(sys.argv[2])))
