"""A terminal progress bar for the management commands that run a job in the foreground.

    with percent_progress_bar(stream=self.stderr._out, enabled=verbosity > 0) as progress:
        job = job_run_here(kind=..., progress=progress)

`progress(done, total, message)` is the job framework's reporter signature: the bar shows the
share done in percent and the job's latest message; it appears only after half a second, so a
quick job prints nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from tqdm import tqdm


@contextmanager
def percent_progress_bar(
    *, stream: TextIO, enabled: bool = True
) -> Iterator[Callable[[int, int, str], None]]:
    bar = tqdm(total=100, unit="%", file=stream, disable=not enabled, dynamic_ncols=True, delay=0.5)

    def progress(done: int, total: int, message: str = "") -> None:
        bar.n = min(100, int(done * 100 / total)) if total else 0
        if message:
            bar.set_description_str(message, refresh=False)
        bar.refresh()

    try:
        yield progress
    finally:
        bar.close()
