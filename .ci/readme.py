"""Render nbs/index.ipynb to README.md without Quarto (nbdev_readme needs it), or --check that they agree.

Markdown cells are copied (links to `images/` pointed at `nbs/images/`); code cells without `#| hide` become ```python blocks (directive lines dropped),
followed by their stored text output. Run after executing index.ipynb (see .ci/execute.py)."""
import json, sys, difflib
from pathlib import Path

root = Path(__file__).resolve().parent.parent

def render(nb_path=root/'nbs/index.ipynb') -> str:
    nb = json.loads(Path(nb_path).read_text())
    parts = []
    for c in nb['cells']:
        src = ''.join(c['source'])
        if c['cell_type'] == 'markdown': parts.append(src.strip().replace('](images/', '](nbs/images/')); continue   # pictures live in nbs/images
        lines = src.splitlines()
        if any(l.strip().replace(' ', '') in ('#|hide', '#|eval:false') for l in lines if l.startswith('#|')): continue
        code = '\n'.join(l for l in lines if not l.startswith('#|')).strip()
        if not code: continue
        parts.append(f"```python\n{code}\n```")
        text = []
        for o in c.get('outputs', []):
            if o['output_type'] == 'stream': text.append(''.join(o['text']))
            elif 'data' in o and 'text/plain' in o['data']: text.append(''.join(o['data']['text/plain']))
        if text: parts.append("    " + "\n    ".join(''.join(text).rstrip('\n').splitlines()))
    return '\n\n'.join(parts) + '\n'

if __name__ == '__main__':
    out = render()
    readme = root/'README.md'
    if '--check' in sys.argv:
        cur = readme.read_text() if readme.exists() else ''
        if cur != out:
            sys.stdout.writelines(difflib.unified_diff(cur.splitlines(True), out.splitlines(True), 'README.md', 'from nbs/index.ipynb'))
            print('README.md is out of step with nbs/index.ipynb: run `python .ci/execute.py nbs/index.ipynb && python .ci/readme.py`')
            sys.exit(1)
        print('README.md is in step with nbs/index.ipynb')
    else:
        readme.write_text(out); print(f'wrote {readme}')
