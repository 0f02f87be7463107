"""Process settings that keep the event loop answering while other work runs in the same process."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager

# While the preparing thread works on a new query, the event loop waits for the interpreter lock
# at most this long each time it wants it back (the default, 5 ms, adds up to 100 ms per request).
LOCK_SWITCH_SECONDS = 0.001


@contextmanager
def responsive_event_loop() -> Iterator[None]:
    """Enter once everything long-lived is built (libraries, the supergraph and its schema)."""
    # Exempt what exists now from garbage collection: otherwise every full collection walks it all
    # again, stalling the event loop for a tenth of a second at a time while requests make garbage.
    gc.freeze()
    previous = sys.getswitchinterval()
    sys.setswitchinterval(LOCK_SWITCH_SECONDS)
    try:
        yield
    finally:
        sys.setswitchinterval(previous)
        gc.unfreeze()
