"""Running ``python bot.py ...`` as an operator would, several at once to save time."""

from __future__ import annotations

import asyncio
import ctypes
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from tests.waiting import PATIENCE, finished

ROOT = Path(__file__).parents[1]
# Shaped like a token so config accepts it; nothing like a real one.
TOKEN = "4242:test_token_not_a_real_one_0123456789"
# prctl(PR_CAPBSET_DROP, ...) and the capabilities that let root write what it may not.
_PR_CAPBSET_DROP = 24
_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH = 1, 2


@dataclass(frozen=True)
class Finished:
    returncode: int
    stdout: str
    stderr: str


def environment(**variables: str) -> dict[str, str]:
    """The process's environment without any BOT_ setting of the developer's, plus these."""
    kept = {key: value for key, value in os.environ.items() if not key.startswith("BOT_")}
    return {**kept, **variables}


def as_unprivileged() -> None:
    """In the child, before exec: as root, give up the right to ignore file permissions, so a
    read-only file or folder is read-only here too (as for the unprivileged user a bot runs as)."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
        if libc.prctl(_PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def start(
    arguments: list[str], cwd: Path, env: dict[str, str], *, unprivileged: bool = False
) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(ROOT / "bot.py"), *arguments],
        cwd=cwd,  # a test folder: no developer's .env is read
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=as_unprivileged if unprivileged else None,
    )


def run_together(
    runs: dict[str, tuple[list[str], Path, dict[str, str], bool]], timeout: float = 2 * PATIENCE
) -> dict[str, Finished]:
    """Start every run at once and wait for all: name -> (arguments, cwd, env, unprivileged).
    ``timeout``, for each, is a safety net against a hang."""
    processes = {
        name: start(arguments, cwd, env, unprivileged=unprivileged)
        for name, (arguments, cwd, env, unprivileged) in runs.items()
    }
    results = {}
    for name, process in processes.items():
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            for other in processes.values():
                other.kill()
            raise AssertionError(f"{name}: still running after {timeout:g} s (a hang)") from None
        results[name] = Finished(process.returncode, stdout, stderr)
    return results


async def lines_until(stream: IO[str], enough: Callable[[list[str]], bool], what: str) -> list[str]:
    """The lines a process writes to ``stream`` (its pipe), read until ``enough(lines)``."""

    async def read() -> list[str]:
        lines: list[str] = []
        while not enough(lines):
            line = await asyncio.to_thread(stream.readline)
            if not line:
                raise AssertionError(f"the process ended before {what}:\n{''.join(lines)}")
            lines.append(line)
        return lines

    return await finished(read(), what)


def assert_one_line(name: str, result: Finished, *expected: str) -> None:
    """Exit code 2 and exactly one line on standard error that says each of ``expected``."""
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2, f"{name}: exit {result.returncode}\n{result.stderr}"
    assert len(lines) == 1, f"{name}: {len(lines)} lines on stderr\n{result.stderr}"
    assert "Traceback" not in result.stderr
    for text in expected:
        assert text in lines[0], f"{name}: {text!r} not in {lines[0]!r}"
