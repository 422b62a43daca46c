"""The runs of `explanations/quality_study`: each variant of the main job trained from scratch, then the quality
benchmark's embeddings half on the shipped label sets; results appended to quality_study.json next to this file.

    python nbs/explanations/quality_study.py [--steps 500] [--folds 200] [--only NAME ...] [--work DIR] [--curve EVERY]
    python nbs/explanations/quality_study.py --requality [--sets tree_cover]

`--curve EVERY` also benchmarks the run's checkpoint every EVERY steps on the way (the schedule is the whole run's:
the learning rate at step s of a long run is higher than at the end of a run of s steps), kept as `curve`.

Seeded (seed 0 for every run); one run at a time on the machine's threads. Minutes per run on 2 CPU cores."""
import argparse, json, sys, time, platform
from dataclasses import replace, asdict
from pathlib import Path
import torch
from alphaearth.train import TrainConfig, Trainer
from alphaearth.losses import LossWeights
from alphaearth.quality import quality, reductions, LABEL_SETS
from alphaearth.samples import manifest as sample_path

HERE = Path(__file__).parent
MAIN = ['s2_virginia', 'marburg', 'l8_cloudy']                                   # the main job's scenes
W = LossWeights()
ZX = dict(model_overrides=dict(zero_exchange=True))
VARIANTS = {                                                                     # name: (TrainConfig changes, manifests)
    'default':       (dict(model_overrides=dict(zero_exchange=False)), MAIN),     # the defaults before this study (random exchange)
    'zero_exchange': (ZX, MAIN),                                                 # ... then every other change on top of this one
    'zx+uniformity_0.005': (dict(ZX, weights=replace(W, uniformity=0.005)), MAIN),
    'zx+uniformity_0': (dict(ZX, weights=replace(W, uniformity=0.)), MAIN),
    'zx+hide_4_rects': (dict(ZX, hide_rects=4), MAIN),
    'zx+visible_0.1': (dict(ZX, visible_weight=0.1), MAIN),
    'zx+with_series': (ZX, MAIN + ['s2_romania']),
    'zx+kappa_32000': (dict(model_overrides=dict(zero_exchange=True, kappa=32000.)), MAIN),
    'zx+consistency_0.2': (dict(ZX, weights=replace(W, consistency=0.2)), MAIN),
    'zx+lr_3e-3':    (dict(ZX, lr=3e-3), MAIN),
    'zero_exchange_seed1': (dict(ZX, seed=1), MAIN),                           # the same as zero_exchange, another seed: run-to-run noise
    'zx+series+lr_1e-4': (dict(ZX, lr=1e-4), MAIN + ['s2_romania']),           # the paper's learning rate (at its batch 256)
    'zx+series+lr_3e-4': (dict(ZX, lr=3e-4), MAIN + ['s2_romania']),
}

def run(name, steps, folds, work, changes=None, manifests=None, curve=None):
    ch, ms = VARIANTS[name] if changes is None else (changes, manifests or MAIN)
    cfg = replace(TrainConfig(steps=steps, text=True), **ch)
    out = Path(work)/f'{name}-{steps}'
    t0 = time.perf_counter()
    tr = Trainer(cfg, [sample_path(m) for m in ms], out, overwrite=True, log=lambda *a: None)
    points, fit_s = [], 0.
    for stop in (range(curve, steps, curve) if curve else ()):
        tr.fit(stop_at=stop); fit_s += tr.seconds                                 # training time only, without the benchmarks
        q = quality(out/'checkpoint.pt', baselines=(), folds=folds, work=out, untrained=False, log=lambda *a: None)
        points.append(dict(step=stop, errors={n: r['errors']['embeddings'] for n, r in q['sets'].items()}))
        print(name, stop, {n: {k: round(v[0], 3) for k, v in e.items()} for n, e in points[-1]['errors'].items()}, flush=True)
    if steps: tr.fit(); s = dict(tr.summary(), train_seconds=round(fit_s + tr.seconds, 1))
    else: tr.save(); (out/'metrics.jsonl').write_text(''); s = dict(train_seconds=0., eval=tr.evaluate())   # --steps 0: as initialised
    q = quality(out/'checkpoint.pt', baselines=(), folds=folds, work=out, untrained=False, log=lambda *a: None)
    metrics = [json.loads(l) for l in (out/'metrics.jsonl').read_text().splitlines()]
    return dict(name=name, steps=steps, changes={k: (asdict(v) if hasattr(v, '__dataclass_fields__') else v) for k, v in ch.items()},
                manifests=ms, train_seconds=s['train_seconds'], seconds=round(time.perf_counter() - t0, 1), eval=s['eval'],
                uniformity_last50=sum(m['uniformity_loss'] for m in metrics[-10:]) / 10 if metrics else None,
                errors={n: r['errors']['embeddings'] for n, r in q['sets'].items()}, **(dict(curve=points) if curve else {}))

def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument('--steps', type=int, default=500); ap.add_argument('--folds', type=int, default=200)
    ap.add_argument('--only', nargs='+'); ap.add_argument('--work', default='/tmp/aef-quality-study')
    ap.add_argument('--out', default=str(HERE/'quality_study.json'))
    ap.add_argument('--curve', type=int, help="also benchmark every this many steps on the way")
    ap.add_argument('--requality', action='store_true', help="re-run only the benchmark (baselines and each run's kept checkpoint)")
    ap.add_argument('--sets', nargs='+', default=list(LABEL_SETS), help="label sets --requality re-runs")
    a = ap.parse_args(argv)
    path = Path(a.out)
    rec = json.loads(path.read_text()) if path.exists() else dict(machine=f"{platform.processor() or platform.machine()}, {torch.get_num_threads()} threads", runs=[])
    if a.requality:                                          # e.g. after a label set or its imagery changed: only --sets
        for r in rec['runs']:
            ck = Path(r.get('checkpoint') or Path(a.work)/f"{r['name']}-{r['steps']}"/'checkpoint.pt')
            if ck.exists():
                q = quality(ck, sets=a.sets, baselines=(), folds=a.folds, work=ck.parent, untrained=False, log=lambda *a: None)
                r['errors'].update({n: x['errors']['embeddings'] for n, x in q['sets'].items()})
            else: print('no checkpoint kept for', r['name'], r['steps'], '- its figures are stale', flush=True)
        q = quality(None, sets=a.sets, folds=a.folds, log=lambda *a: None)
        rec['baselines'].update({n: r['errors'] for n, r in q['sets'].items()})
        path.write_text(json.dumps(rec, indent=1))
    if 'baselines' not in rec or rec.get('folds') != a.folds:
        q = quality(None, folds=a.folds, log=lambda *a: None)
        rec['folds'], rec['baselines'] = a.folds, {n: r['errors'] for n, r in q['sets'].items()}
        path.write_text(json.dumps(rec, indent=1))
    for name in ([] if a.requality else a.only or VARIANTS):
        r = run(name, a.steps, a.folds, a.work, curve=a.curve)
        rec['runs'] = [x for x in rec['runs'] if (x['name'], x['steps']) != (name, a.steps)] + [r]
        path.write_text(json.dumps(rec, indent=1))
        red = {n: reductions({'embeddings': {('max' if k == 'max' else int(k)): tuple(v) for k, v in r['errors'][n].items()},
                              **{b: {('max' if k == 'max' else int(k)): tuple(v) for k, v in e.items()} for b, e in rec['baselines'][n].items()}}) for n in r['errors']}
        print(name, a.steps, r['seconds'], {n: {k: round(v[0], 3) for k, v in e.items()} for n, e in r['errors'].items()},
              {n: {str(k): f"{v:+.1%}" for k, v in d.items()} for n, d in red.items()}, flush=True)

if __name__ == '__main__': main()
