"""``schedule:settle_record:settle``: upstream's placeholder made small but real.

It logs and counts each settlement tick, so the cron path (scheduler → queue → worker)
is observable in metrics and logs end to end.
"""

from __future__ import annotations

import itertools
import logging

from prometheus_client import Counter

log = logging.getLogger(__name__)

SETTLE_RUNS = Counter("mqueue_settle_record_runs_total", "Settle-record job runs.")
#: our own tally for the log line; the Counter is write-only for us (no private API).
_ticks = itertools.count(1)


async def settle_record() -> int:
    """Record one settlement tick; returns the number of ticks this process has run."""
    SETTLE_RUNS.inc()
    total = next(_ticks)
    log.info("settle record: tick %d", total)
    return total
