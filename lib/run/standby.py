"""A parser process started before the corpus is read, so that the model loads meanwhile.

A re-run over a large corpus spends a while reading the folder, the files memo and the last
run's tables before it knows which articles are new, and loading the model takes about as long
again. On a machine with a second core, `StandbyParser` starts a process that loads the
model while this process reads, then parses the chunks of new articles it is sent; the two
waits overlap instead of adding up. When nothing is new, it is stopped unused.

The process is forked from this one (`lib.run.spawning`): it starts with spaCy already imported
and loads only the model. Its results are the plain rows of `lib.extract.article.extract_chunk`, the
same as parsing here gives.
"""

from __future__ import annotations

import multiprocessing
import os
from contextlib import suppress
from multiprocessing.connection import Connection

from lib.extract.article import BATCH_SIZE, extract_chunk_here, shared_pipeline
from lib.run.spawning import bare_main, start_method

STOP_SECONDS = 5  # how long `close` waits for the process to end once told to


def available() -> bool:
    """Whether a standby parser pays here: a second core to load the model on, and a process
    that can fork (no other thread runs), so the parser need not import everything again."""
    return (os.cpu_count() or 1) > 1 and start_method() == "fork"


class StandbyParser:
    """A process that loads the model at once and then parses the chunks of articles it is sent
    (`extract`), one at a time. Use it as a context manager, or `close` it."""

    def __init__(self) -> None:
        context = multiprocessing.get_context(start_method())
        self._connection, theirs = context.Pipe()
        self._process = context.Process(target=_serve, args=(theirs, self._connection), name="standby-parser",
                                        daemon=True)
        with bare_main():  # a spawned process would otherwise run the caller's main script again
            self._process.start()
        theirs.close()

    def extract(self, chunk: list[dict], batch_size: int = BATCH_SIZE) -> list[dict]:
        """`extract_chunk` of `chunk` (article task fields), parsed in the standby process."""
        with suppress(OSError):  # the process has ended: its last word may still be in the pipe
            self._connection.send((chunk, batch_size))
        try:
            status, payload = self._connection.recv()
        except (EOFError, OSError) as error:
            self._process.join(STOP_SECONDS)
            raise RuntimeError(f"the parser process ended unexpectedly (exit code {self._process.exitcode})"
                               ) from error
        if status != "ok":
            raise RuntimeError(f"the parser process failed: {payload}")
        return payload

    @property
    def pid(self) -> int | None:
        """The process's id."""
        return self._process.pid

    @property
    def running(self) -> bool:
        """Whether the process is still there (loading the model, parsing or idle)."""
        return self._process.is_alive()

    def close(self) -> None:
        """Stop the process, whether it is still loading the model, idle or gone already (closing
        it again does nothing)."""
        self._connection.close()  # the process reads the end of its pipe and returns
        self._process.join(0)
        if self.running:  # still loading the model: nothing of it is kept
            self._process.terminate()
        self._process.join(STOP_SECONDS)

    def __enter__(self) -> StandbyParser:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _serve(connection: Connection, runs_end: Connection) -> None:
    """The standby process: load the model, then answer each (chunk, batch size) with
    ("ok", results), or ("error", what went wrong), until the pipe closes: when the run closes
    its end, or ends, even killed (so this process first closes the copy of the run's end
    that it inherited, which would keep the pipe open)."""
    runs_end.close()
    try:
        shared_pipeline()
        while True:
            chunk, batch_size = connection.recv()
            connection.send(("ok", extract_chunk_here(chunk, batch_size)))
    except (EOFError, KeyboardInterrupt):
        return  # closed, or the run was interrupted (it reports that itself)
    except Exception as error:  # noqa: BLE001 - reported to the run, which raises it with this text
        with suppress(OSError):  # the run has stopped listening
            connection.send(("error", f"{type(error).__name__}: {error}"))
    finally:
        connection.close()
