"""Two ways the build saves time: work run in a forked child process on the other core
while the build goes on (`Aside`), and a function that answers a repeated call from its
last result (`last_call`), for the live preview's analyses after an edit."""

from __future__ import annotations

import functools
import os
import pickle
import signal
import threading
from collections.abc import Callable
from typing import Generic, ParamSpec, TypeVar

T = TypeVar("T")


class Aside(Generic[T]):
    """`work()` run in a forked child process, on another core, while this process goes
    on; `result()` waits for it. The child sends its result back pickled; when the work
    fails there, `result()` runs it here, so that its error is raised as it would be."""

    @staticmethod
    def available() -> bool:
        """A fork copies only the thread that calls it: fork only a process of one."""
        return hasattr(os, "fork") and threading.active_count() == 1

    def __init__(self, work: Callable[[], T]) -> None:
        self.work = work
        read, write = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child: send the result, or None when the work fails
            os.close(read)
            try:
                try:
                    payload = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
                except BaseException:
                    payload = pickle.dumps(None)
                with os.fdopen(write, "wb") as out:
                    out.write(payload)
            finally:
                os._exit(0)
        os.close(write)
        self.read = read
        self.done = False

    def result(self) -> T:
        self.done = True
        with os.fdopen(self.read, "rb") as source:
            data = source.read()
        os.waitpid(self.pid, 0)
        value: T | None = pickle.loads(data) if data else None
        return self.work() if value is None else value

    def cancel(self) -> None:
        """Stop the child (this process failed before it needed the result)."""
        if self.done:
            return
        self.done = True
        os.close(self.read)
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)


P = ParamSpec("P")
R = TypeVar("R")


def last_call(function: Callable[P, R]) -> Callable[P, R]:
    """`function`, answering a call with the same arguments as the last one (compared by
    equality: papers.yaml's facts hold dicts, which have no hash) with the same result."""
    last: list[tuple[object, R]] = []

    @functools.wraps(function)
    def remembered(*args: P.args, **kwargs: P.kwargs) -> R:
        if not (last and last[0][0] == (args, kwargs)):
            last[:] = [((args, kwargs), function(*args, **kwargs))]
        return last[0][1]

    return remembered
