"""`blanche serve` prepares each service process before it serves."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_a_prepared_process_has_startup_objects_frozen_collects_rarely_logs_cheaply() -> None:
    script = textwrap.dedent(
        """
        import gc
        import logging
        from server.process_tuning import GC_THRESHOLDS, prepare_process

        frozen_before = gc.get_freeze_count()
        prepare_process()
        assert gc.get_threshold() == GC_THRESHOLDS, gc.get_threshold()
        # The templates, Babel's data, the rules: all loaded, then frozen.
        assert gc.get_freeze_count() > frozen_before + 50_000, gc.get_freeze_count()
        assert len(gc.get_objects()) < 5_000, len(gc.get_objects())
        records = []
        probe = logging.getLogger("probe")
        probe.addHandler(logging.Handler())
        probe.handlers[0].emit = records.append
        probe.warning("an access line")
        [record] = records
        assert (record.pathname, record.lineno) == ("(unknown file)", 0), record.pathname
        assert (record.threadName, record.processName, record.process) == (None, None, None)
        print("ok")
        """
    )
    _runs_in_a_new_process(script)


def test_the_warm_up_compiles_every_template_a_patch_can_render() -> None:
    script = textwrap.dedent(
        """
        from pathlib import Path
        from editor import render
        from editor.warmup import warm_up

        warm_up()
        compiled = {name for _, name in render._environment().cache.keys()}
        root = Path(render.__file__).parent / "templates"
        blocks = {str(p.relative_to(root)) for p in (root / "blocks").glob("*.j2")}
        live = {f"fragments/{name}.html.j2" for name in ("totals", "vat", "findings", "official")}
        missing = sorted((blocks | live | {"editor.html.j2"}) - compiled)
        assert not missing, missing
        print("ok")
        """
    )
    _runs_in_a_new_process(script)


def _runs_in_a_new_process(script: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
