"""Run calls at the same moment, each in its own thread and database connection.

The one helper every concurrency test uses. It also makes the races take turns
across pytest-xdist workers: one race opens up to 50 connections at once, and
two of them on two workers plus the workers' own connections pass PostgreSQL's
default `max_connections = 100` ("sorry, too many clients already"), which
would make a correct rule look broken. The turn is an exclusive `flock` on a
file shared by every test run on this machine against the same PostgreSQL
server, so the races stay real: only races elsewhere wait. SQLite has no such
limit and takes no turn.
"""

import fcntl
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import close_old_connections, connection


@contextmanager
def _one_race_at_a_time() -> Iterator[None]:
    if connection.vendor != "postgresql":  # SQLite: one file per worker, no shared limit
        yield
        return
    db = connection.settings_dict
    path = Path(tempfile.gettempdir()) / f"candor-race-pg-{db.get('HOST') or 'local'}-{db.get('PORT') or 5432}.lock"
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def race(calls: list[Callable[[], object]]) -> list[object]:
    """Release every call at once; return what each returned or raised, in order."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def worker(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            outcomes[index] = calls[index]()
        except Exception as error:  # noqa: BLE001 - the outcome is what tests check
            outcomes[index] = error
        finally:
            close_old_connections()
            connection.close()

    with _one_race_at_a_time():
        threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(calls))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    return outcomes


def run_together(target: Callable[[int], object], count: int) -> list[object]:
    """`race` over `target(0) … target(count - 1)`."""
    return race([lambda i=i: target(i) for i in range(count)])


def errors_of(outcomes: list[object]) -> list[BaseException]:
    """The outcomes that are exceptions."""
    return [o for o in outcomes if isinstance(o, BaseException)]
