"""Execute notebooks in place so their stored outputs (figures, printed values) are current; then nbdev_clean.

Usage: python .ci/execute.py nbs/index.ipynb [more notebooks]. Cells marked `#| eval: false` are skipped,
as under nbdev_test, and `#| cuda` cells on a machine without CUDA. Used by developers before committing documentation outputs; CI does not rewrite files."""
import os, sys
from pathlib import Path
from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell
import torch

for p in [Path(a).resolve() for a in sys.argv[1:]]:
    p = Path(p).resolve()
    nb = read_nb(p)
    os.chdir(p.parent)
    sh = CaptureShell(mpl_format='png')   # plain PNG: stored figures stay small
    def keep(cell):
        flags = [l.replace(' ', '') for l in cell.source.splitlines()]
        if '#|cuda' in flags and not torch.cuda.is_available(): return False   # as nbdev_test without --flags cuda
        return '#|eval:false' not in flags
    for cell in nb.cells:
        if cell.cell_type != 'code': continue
        cell.outputs = []
        if keep(cell):
            sh.cell(cell)
            if sh.exc: raise SystemExit(f"{p}: cell failed: {sh.exc}")
    write_nb(nb, p)
    print('executed', p)
