"""`blanche serve` prepares each service process before it serves."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_a_prepared_process_has_its_startup_objects_frozen_and_collects_rarely() -> None:
    script = textwrap.dedent(
        """
        import gc
        from server.process_tuning import GC_THRESHOLDS, prepare_process

        frozen_before = gc.get_freeze_count()
        prepare_process()
        assert gc.get_threshold() == GC_THRESHOLDS, gc.get_threshold()
        # The templates, Babel's data, the rules: all loaded, then frozen.
        assert gc.get_freeze_count() > frozen_before + 50_000, gc.get_freeze_count()
        assert len(gc.get_objects()) < 5_000, len(gc.get_objects())
        print("ok")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
