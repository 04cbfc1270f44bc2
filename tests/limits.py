"""Bounded work, measured as work: a process of its own under a memory and a CPU limit.

A test that says "this costs little" runs the work in a process with limits the
kernel enforces: its data segment (everything it allocates, its threads' stacks
included) and its own CPU time. Past either, the process fails at once, the same
way on an idle laptop and on a CI machine running three other suites: a busy
machine delays a process, it does not make it allocate more, nor (beyond a little
lost to caches) use more CPU. Nothing here reads a clock.

The costly part of a hostile file is a scan inside C code (a regular expression,
the HTML parser): no Python-level step shows it, so CPU seconds are the count of
that work. The limits sit far from both sides: these files cost 0.3 to 0.9 s of
CPU and a data segment of 65 to 95 MB here, and over a minute to hours of CPU, or
gigabytes, without the guards the tests are about.
"""

from __future__ import annotations

import multiprocessing
import resource
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

MEMORY_MB = 300
CPU_SECONDS = 20
# What a limit is to a process: RLIMIT_DATA in bytes, RLIMIT_CPU in seconds.
LIMITS = [str(MEMORY_MB * 1024 * 1024), str(CPU_SECONDS)]

# Sets the limits, then becomes the command (limits hold across exec). A launcher
# rather than preexec_fn: a process that runs threads may not run Python between
# fork and exec.
LAUNCHER = """
import os, resource, sys
memory, cpu = int(sys.argv[1]), int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_DATA, (memory, memory))
resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
os.execv(sys.argv[3], sys.argv[3:])
"""


class OverLimit(Exception):
    """The work went past its memory or CPU limit."""


def limited(command: list[str]) -> list[str]:
    """``command`` (a program and its arguments) run within the limits."""
    return [sys.executable, "-c", LAUNCHER, *LIMITS, *command]


def _set_limits() -> None:
    memory, cpu = (int(limit) for limit in LIMITS)
    resource.setrlimit(resource.RLIMIT_DATA, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))


def _outcome(function: Callable[..., Any], args: tuple) -> tuple[str, Any]:
    """In the limited process: the result, or the exception's parts (an exception whose
    constructor takes other arguments than its ``args`` would not survive pickling)."""
    try:
        return "returned", function(*args)
    except MemoryError:
        return "memory", None
    except Exception as error:
        return "raised", (type(error), error.args, vars(error))


def call_limited(function: Callable[..., Any], *args: Any) -> Any:
    """``function(*args)`` in a fresh process within the limits: its result, or the
    exception it raised, as if it ran here; OverLimit past a limit."""
    context = multiprocessing.get_context("spawn")
    try:
        with ProcessPoolExecutor(1, mp_context=context, initializer=_set_limits) as pool:
            kind, value = pool.submit(_outcome, function, args).result()
    except BrokenProcessPool:  # killed: SIGXCPU, past its CPU time
        raise OverLimit(f"{function.__name__}: over {CPU_SECONDS} s of CPU") from None
    if kind == "memory":
        raise OverLimit(f"{function.__name__}: over {MEMORY_MB} MB")
    if kind == "raised":
        error_type, error_args, state = value
        error = error_type.__new__(error_type, *error_args)
        error.args = error_args
        vars(error).update(state)
        raise error
    return value
