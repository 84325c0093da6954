"""A service process, tuned once before it serves.

A full collection walks every object the collector tracks, ~0.5 µs each here: the
~170,000 objects that importing the service and warming it up create made each one
a 100-200 ms pause in the middle of editor sessions. They live as long as the
process, so they are frozen out of the collector's sight once, after the warm-up.

What an editor keystroke allocates forms no reference cycle (checked by
tests/editor/test_no_cycles.py): reference counting frees it, and a collection run
while typing finds next to nothing. Collections are made rarer accordingly: the
young generation holds 10,000 objects instead of 700, and a full collection waits
for 100 intermediate ones instead of 10.

Each request logs its access line: a log record no longer looks up the source line
that made it (a walk up the stack), nor its thread, process or multiprocessing
name, which no format of the service shows (the logging HOWTO's "Optimization").
"""

from __future__ import annotations

import gc
import logging
import sys

from editor.warmup import warm_up

GC_THRESHOLDS = (10_000, 20, 100)
# The database drivers run each statement in a thread of their own (aiosqlite) and
# hand the GIL back and forth with the event loop's thread. While the loop is busy,
# a driver thread waits for the loop to give up the GIL, which Python forces every
# switch interval: 5 ms by default, a ceiling of ~200 statements a second across the
# whole process under load. 0.5 ms lifts it tenfold for a small cost in switches.
SWITCH_INTERVAL_SECONDS = 0.0005


def prepare_process() -> None:
    warm_up()
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)
    logging._srcfile = None
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
