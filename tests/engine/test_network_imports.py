"""The engine must import without the UI libraries."""

import subprocess
import sys


def test_engine_imports_without_textual_or_rich():
    code = (
        "import sys; import engine, engine.network, engine.graph, engine.gradcheck, engine.spec, engine.worked; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')]; "
        "print(bad); raise SystemExit(1 if bad else 0)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
