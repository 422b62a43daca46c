"""Execute notebooks in place so their stored outputs (figures, printed values) are current; then nbdev_clean.

Usage: python .ci/execute.py nbs/index.ipynb [more notebooks]. Cells marked `#| eval: false` are skipped,
as under nbdev_test. Used by developers before committing documentation outputs; CI does not rewrite files."""
import os, sys
from pathlib import Path
from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell

for p in [Path(a).resolve() for a in sys.argv[1:]]:
    p = Path(p).resolve()
    nb = read_nb(p)
    os.chdir(p.parent)
    sh = CaptureShell(mpl_format='png')   # plain PNG: stored figures stay small
    def keep(cell): return not any(l.replace(' ', '') == '#|eval:false' for l in cell.source.splitlines())
    for cell in nb.cells:
        if cell.cell_type != 'code': continue
        cell.outputs = []
        if keep(cell):
            sh.cell(cell)
            if sh.exc: raise SystemExit(f"{p}: cell failed: {sh.exc}")
    write_nb(nb, p)
    print('executed', p)
