"""The runs of `explanations/quality_study`: each variant of the main job trained from scratch, then the quality
benchmark's embeddings half on the shipped label sets; results appended to quality_study.json next to this file.

    python nbs/explanations/quality_study.py [--steps 500] [--folds 200] [--only NAME ...] [--work DIR] [--curve EVERY]
    python nbs/explanations/quality_study.py --requality [--sets tree_cover]
    python nbs/explanations/quality_study.py --diagnose zx+with_series-0 zx+series+lr_1e-4-1000 ...

`--curve EVERY` also benchmarks the run's checkpoint every EVERY steps on the way (the schedule is the whole run's:
the learning rate at step s of a long run is higher than at the end of a run of s steps), kept as `curve`.

`--diagnose RUN-STEPS ...` runs no training: inference-only checks of what the kept runs' embeddings hold of the
tree-cover scene (kept as `diagnosis`; see `diagnose`).

Seeded (seed 0 for every run); one run at a time on the machine's threads. Minutes per run on 2 CPU cores."""
import argparse, contextlib, json, time, platform, warnings
from dataclasses import replace, asdict
from pathlib import Path
import numpy as np, torch
from alphaearth.train import TrainConfig, Trainer, _lr_lambda
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
    'zx+series+enc_lr_0.1': (dict(ZX, encoder_lr_scale=0.1), MAIN + ['s2_romania']),   # decoders and text at 1e-3, the encoder at 1e-4
    'zx+series_only': (ZX, ['s2_romania']),                                     # (--steps 0) the band normaliser fitted on the series alone
    'zx+series+winsorised': (dict(ZX, winsorise=(1., 99.)), MAIN + ['s2_romania']),   # the normaliser fitted on each band clipped to its 1st-99th percentile
    'zx+virginia_only': (ZX, ['s2_virginia']),                                  # (--steps 0) the normaliser of the polygons' own scene
    'zx+series+lr_1e-4+local_scale': (dict(ZX, lr=1e-4, local_scale=0.1), MAIN + ['s2_romania']),   # each target band's error in units of its spread on the tile (`local_scale`, a study-script knob)
    'zx+series+lr_1e-4+local_scale_seed1': (dict(ZX, lr=1e-4, local_scale=0.1, seed=1), MAIN + ['s2_romania']),   # the same, another seed
    'zx+series+lr_1e-4_seed1': (dict(ZX, lr=1e-4, seed=1), MAIN + ['s2_romania']),                               # ... and its control
    'zx+with_series_seed1': (dict(ZX, seed=1), MAIN + ['s2_romania']),         # (--steps 0) the seed-1 runs' start
    'small+with_series': (dict(ZX, model='small'), MAIN + ['s2_romania']),      # the `small` configuration (wider, deeper) on the four scenes
    'zx+series+lr_1e-4+batch_8': (dict(ZX, lr=1e-4, batch_size=8), MAIN + ['s2_romania']),   # (--steps 500) twice the batch, the same sequences seen as 1000 steps at 4
    'zx+local_scale': (dict(ZX, local_scale=0.1), MAIN),                        # (--steps 250) the main job with errors in units of the tile's spread
    'zx+series_only+lr_1e-4': (dict(ZX, lr=1e-4), ['s2_romania']),            # trained on the tree-cover scene alone: does in-domain training help it?
    'zx+series+lr_1e-4+kappa_1e6': (dict(model_overrides=dict(zero_exchange=True, kappa=1e6), lr=1e-4), MAIN + ['s2_romania']),   # the vMF noise all but off
    'zx+series+lr_1e-4+size_128': (dict(ZX, lr=1e-4, size=128), MAIN + ['s2_romania']),        # (--steps 250) tiles of 128 px (the paper's), as many pixels as 1000 steps at 64
    'zx+series+lr_1e-4+decoder_256': (dict(model_overrides=dict(zero_exchange=True, decoder_hidden=256), lr=1e-4), MAIN + ['s2_romania']),   # decoders 4x wider
    'zx+series+lr_1e-4+consistency_0.2': (dict(ZX, lr=1e-4, weights=replace(W, consistency=0.2)), MAIN + ['s2_romania']),   # the consistency term x10
    'zx+series+lr_1e-4+no_text': (dict(ZX, lr=1e-4, text=False), MAIN + ['s2_romania']),      # without the text term
    'small+series+lr_1e-4': (dict(ZX, model='small', lr=1e-4), MAIN + ['s2_romania']),         # (--steps 500) `small` trained
}
STUDY_ONLY = ('encoder_lr_scale', 'winsorise', 'local_scale')      # knobs of this study that are not TrainConfig fields

def winsorised_normaliser(tr:Trainer, lo:float, hi:float):
    "Refit `tr`'s band normaliser on the trainer's own tiles with each band's values clipped to their pooled [lo, hi] percentiles."
    from alphaearth.data import SequenceDataset, GridSampler, collate_sequences
    from alphaearth.sources import get_source
    vals = {}
    for m in tr.manifests:                                                       # the tiles `Trainer._fit_normalizer` reads
        ds, qs = SequenceDataset(m, tr.data_config), GridSampler(m, tr.cfg.size, tr.cfg.res).queries
        for sq in ds.sequences(qs[::max(1, len(qs) // 24)]) or ds.sequences(qs, 1):
            b = collate_sequences([sq])
            for key, v in b['sources'].items():
                if get_source(key).kind != 'continuous': continue
                ok = v['valid'] & v['frame_mask'][:, :, None, None, None] & v['clear'][:, :, None]
                for j, band in enumerate(b['bands'][key]): vals.setdefault((key, band), []).append(v['x'][:, :, j][ok[:, :, j]])
    norm = tr.model.normalizer
    for (key, band), xs in vals.items():
        x = torch.cat(xs).double()
        if len(x) < 2: continue
        a, z = np.percentile(x.numpy(), [lo, hi]); x = x.clamp(float(a), float(z))
        i = get_source(key).band_names.index(band)
        for name, val in (('count', len(x)), ('mean', x.mean()), ('m2', ((x - x.mean()) ** 2).sum())): getattr(norm, f'{key}_{name}')[i] = val

@contextlib.contextmanager
def local_scale(floor:float):
    """Training's reconstruction errors in units of each target band's spread on its tile: prediction and target of
    every (sequence, band) divided by the target's standard deviation over the loss's pixels (at least `floor`
    z-units; no gradient through it), so a band that varies little across a tile (the forest's NIR) counts as much
    as one that varies a lot (the scale half of masked autoencoders' per-patch normalised targets, He et al. 2022).
    Patches `alphaearth.task.decode_target`, which only training's `AEFTask.reconstruction` calls by that name
    (the reports import their own)."""
    import alphaearth.task as T
    orig = T.decode_target
    def scaled(model, key, z, target, bands):
        pred, tgt, w = orig(model, key, z, target, bands)
        if pred.shape[1] != tgt.shape[1]: return pred, tgt, w                   # categorical: logits against codes
        on = w.expand_as(tgt); wf = on.to(tgt.dtype); t0 = torch.where(on, tgt, 0.)
        n = wf.sum((2, 3), keepdim=True).clamp_min(1)
        m = (t0 * wf).sum((2, 3), keepdim=True) / n
        sd = ((((t0 - m) * wf) ** 2).sum((2, 3), keepdim=True) / n).sqrt().clamp_min(floor).detach()
        return pred / sd, tgt / sd, w
    T.decode_target = scaled
    try: yield
    finally: T.decode_target = orig

def two_rates(tr:Trainer, scale:float):
    "Re-make `tr`'s optimiser: the encoder (trunk, summary, time and period codes) at `scale` x the learning rate, the decoders and text head at 1x."
    enc = lambda n: n.startswith('model.') and not n.startswith('model.decoders.')
    groups = [[p for n, p in tr.task.named_parameters() if enc(n) == e] for e in (True, False)]
    tr.opt = torch.optim.AdamW([dict(params=groups[0], lr=tr.cfg.lr * scale), dict(params=groups[1], lr=tr.cfg.lr)], weight_decay=tr.cfg.weight_decay)
    tr.sched = torch.optim.lr_scheduler.LambdaLR(tr.opt, _lr_lambda(tr.cfg))

def run(name, steps, folds, work, changes=None, manifests=None, curve=None):
    ch, ms = VARIANTS[name] if changes is None else (changes, manifests or MAIN)
    study = {k: ch[k] for k in STUDY_ONLY if k in ch}
    cfg = replace(TrainConfig(steps=steps, text=True), **{k: v for k, v in ch.items() if k not in study})
    out = Path(work)/f'{name}-{steps}'
    t0, patches = time.perf_counter(), contextlib.ExitStack()
    tr = Trainer(cfg, [sample_path(m) for m in ms], out, overwrite=True, log=lambda *a: None)
    if 'encoder_lr_scale' in study: two_rates(tr, study['encoder_lr_scale'])
    if 'winsorise' in study: winsorised_normaliser(tr, *study['winsorise'])
    if 'local_scale' in study: patches.enter_context(local_scale(study['local_scale']))
    points, fit_s = [], 0.
    for stop in (range(curve, steps, curve) if curve else ()):
        tr.fit(stop_at=stop); fit_s += tr.seconds                                 # training time only, without the benchmarks
        q = quality(out/'checkpoint.pt', baselines=(), folds=folds, work=out, untrained=False, log=lambda *a: None)
        points.append(dict(step=stop, errors={n: r['errors']['embeddings'] for n, r in q['sets'].items()}))
        print(name, stop, {n: {k: round(v[0], 3) for k, v in e.items()} for n, e in points[-1]['errors'].items()}, flush=True)
    if steps: tr.fit(); s = dict(tr.summary(), train_seconds=round(fit_s + tr.seconds, 1))
    else: tr.save(); (out/'metrics.jsonl').write_text(''); s = dict(train_seconds=0., eval=tr.evaluate())   # --steps 0: as initialised
    patches.close()                                                              # training's patches end before the benchmark
    q = quality(out/'checkpoint.pt', baselines=(), folds=folds, work=out, untrained=False, log=lambda *a: None)
    metrics = [json.loads(l) for l in (out/'metrics.jsonl').read_text().splitlines()]
    return dict(name=name, steps=steps, changes={k: (asdict(v) if hasattr(v, '__dataclass_fields__') else v) for k, v in ch.items()},
                manifests=ms, train_seconds=s['train_seconds'], seconds=round(time.perf_counter() - t0, 1), eval=s['eval'],
                uniformity_last50=sum(m['uniformity_loss'] for m in metrics[-10:]) / 10 if metrics else None,
                errors={n: r['errors']['embeddings'] for n, r in q['sets'].items()}, **(dict(curve=points) if curve else {}))

def blocked_r2(X, Y, ok, blocks:int=4, lam:float=1e-3) -> np.ndarray:
    "Cross-validated R² of each column of Y (H, W, k) from a ridge map of X (H, W, d) over the pixels `ok`; folds are `blocks` horizontal bands."
    fold = (np.arange(X.shape[0]) * blocks // X.shape[0])[:, None].repeat(X.shape[1], 1)[ok]
    X, Y, P = X[ok].astype(np.float64), Y[ok].astype(np.float64), np.zeros(Y[ok].shape)
    for f in range(blocks):
        tr, te = fold != f, fold == f
        mu, sd = X[tr].mean(0), X[tr].std(0) + 1e-9
        A = np.c_[(X[tr] - mu) / sd, np.ones(tr.sum())]
        W = np.linalg.solve(A.T @ A + lam * len(A) * np.eye(A.shape[1]), A.T @ Y[tr])
        P[te] = np.c_[(X[te] - mu) / sd, np.ones(te.sum())] @ W
    return 1 - ((P - Y) ** 2).sum(0) / ((Y - Y.mean(0)) ** 2).sum(0)

@contextlib.contextmanager
def clear_pooling():
    """Inference only, for this study: the summary's attention over frames (`06_model`) pools, at each L/2 location, only the
    frames with a valid and clear input pixel there (all present frames where none is); the trunk still sees every frame.
    `fwd` is `Summary.forward` with that one change (its attention mask); it is not a library option because it did not move the labels."""
    import torch.nn.functional as F
    from einops import rearrange
    from alphaearth import model as M
    prepare, forward, state = M.AlphaEarth.prepare, M.Summary.forward, {}
    def prep(self, batch):
        frames, codes, mask, hw = prepare(self, batch)
        pm = []
        for k in frames:
            v, cl = frames[k][1].any(2), batch['sources'][k]['clear'].bool()          # (b, t_s, H, W) padded, (b, t_s, h, w)
            ok = v & F.pad(cl, (0, v.shape[-1] - cl.shape[-1], 0, v.shape[-2] - cl.shape[-2]))
            pm.append(F.max_pool2d(ok.flatten(0, 1)[:, None].float(), 2)[:, 0].view(*v.shape[:2], v.shape[-2] // 2, v.shape[-1] // 2) > 0)
        state['pix'] = torch.cat(pm, 1)
        return frames, codes, mask, hw
    def fwd(self, feats, index, mask, codes, pcodes):
        (b, t), (_, h, w, d) = mask.shape, feats.shape
        dense = feats.new_zeros(b * t, h, w, d).index_copy(0, index, feats).view(b, t, h, w, d)
        k, v = self.kv(self.norm(dense + self.key_code(codes)[:, :, None, None])).chunk(2, -1)
        k, v = (rearrange(a, 'b t h w (a g) -> b (h w) a t g', a=self.heads) for a in (k, v))
        q = rearrange(self.query(pcodes), 'b p (a g) -> b 1 a p g', a=self.heads).expand(-1, h * w, -1, -1, -1)
        pm = state['pix'] & mask[:, :, None, None]
        pm = torch.where(pm.any(1, keepdim=True), pm, mask[:, :, None, None].expand_as(pm))
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=rearrange(pm, 'b t h w -> b (h w) 1 1 t'))
        y = self.up(self.out(rearrange(y, 'b (h w) a p g -> (b p) h w (a g)', h=h)))
        return rearrange(F.normalize(self.head(y), dim=-1), '(b p) h w e -> b p e h w', b=b)
    M.AlphaEarth.prepare, M.Summary.forward = prep, fwd
    try: yield
    finally: M.AlphaEarth.prepare, M.Summary.forward = prepare, forward

def diagnose(runs, work, folds:int) -> dict:
    """Inference-only checks on the tree-cover scene (2018): how much of the clear-sky composite each kept run's embedding
    holds (cross-validated R² per band over every pixel), with clear-only pooling, whitened; the same R² for per-pixel
    temporal means of the bands with and without the cloud mask; and what the embedding's geometry (unit vectors of
    random features) costs the composite itself on the labels."""
    from alphaearth.embed import EmbedGrid, embed, _manifest_path
    from alphaearth.manifest import read_manifest
    from alphaearth.baselines import composite, baseline_samples
    from alphaearth.geotiff import read_embeddings
    from alphaearth.labels import raster_samples
    from alphaearth.probes import evaluate
    from alphaearth.quality import set_errors
    from alphaearth.sources import get_source
    from alphaearth.tiles import Query, DataConfig, read_sequence, select_frames
    from alphaearth.core import to_ms
    from alphaearth.train import load_checkpoint
    import rasterio
    ls = LABEL_SETS['tree_cover']; lab, m = ls.read(), read_manifest(_manifest_path(ls.manifest))
    with rasterio.open(Path(work)/runs[0]/'tree_cover_embeddings.tif') as f: T, crs, shape = f.transform, f.crs, f.shape
    grid = EmbedGrid(crs.to_epsg(), T.c, T.f, shape, T.a)                         # the embeddings' own grid
    C = composite(m, ls.start, ls.end, grid)                                     # (H, W, 5) standardised clear-sky median
    have = {b for f in m.frames['sentinel2'] for b in f.bands}
    names = [b for b in get_source('sentinel2').default_bands() if b in have]; assert len(names) == C.shape[-1]
    comp = baseline_samples(lab, 'composite', m, ls.start, ls.end, task=ls.task)
    def err(s, x=None):
        s = s if x is None else replace(s, x=np.asarray(x, np.float32))
        rows = evaluate(s, shots=(10,), folds={10: folds}, min_distance=ls.min_distance, log=lambda *a: None)
        return round(float(set_errors(rows, 'regression')[10][0]), 3)
    def whiten(x, ref):                                                          # PCA-whiten with the scene's own pixels
        mu = ref.mean(0); U, S, Vt = np.linalg.svd(ref - mu, full_matrices=False)
        return (x - mu) @ Vt.T / (S / np.sqrt(len(ref)) + 1e-6)
    out = dict(bands=names, composite_mae=err(comp), runs={})
    X = comp.x.astype(np.float64)
    out['composite_whitened_mae'] = err(comp, whiten(X, X))
    out['composite_unit_mae'] = err(comp, X / np.linalg.norm(X, axis=1, keepdims=True))
    rf = []
    for seed in range(3):                                                        # random features -> unit vectors, as an untrained network's head
        Z = np.maximum(X @ np.random.default_rng(seed).normal(size=(X.shape[1], 64)), 0)
        rf.append(err(comp, Z / np.linalg.norm(Z, axis=1, keepdims=True).clip(1e-9)))
    out['composite_random_unit_mae'] = rf
    q = Query(grid.as_tile, to_ms(ls.start), to_ms(ls.end))                      # per-pixel temporal means of the log bands
    n = len(select_frames(m, 'sentinel2', q, 10**6, 'even'))
    seq = read_sequence(m, q, DataConfig(size=tuple(grid.shape), res=grid.res, sources={'sentinel2': names}, max_frames={'sentinel2': n}, subsample='even'))
    v = seq['sources']['sentinel2']; fm = v['frame_mask'].numpy()
    x, val, cl = v['x'].numpy()[fm], v['valid'].numpy()[fm], v['clear'].numpy()[fm]          # x: log(DN + 1), as the reader delivers it
    ok0 = np.isfinite(C).all(-1)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', RuntimeWarning)
        means = {w: np.nanmean(np.where(msk, x, np.nan), 0).transpose(1, 2, 0) for w, msk in (('all', val), ('clear', val & cl[:, None]))}
    inside = ok0 & val.any((0, 1))                                               # pixels of the scene (the grid extends past it)
    out['frames'], out['clear_share'] = int(fm.sum()), round(float(cl[:, inside].mean()), 3)
    for w, mean in means.items():
        good = inside & np.isfinite(mean).all(-1)
        out[f'mean_{w}_r2'] = np.round(blocked_r2(mean, C, good), 3).tolist()
    good = inside & np.isfinite(means['clear']).all(-1)
    out['scene_std'] = np.round(means['clear'][good].std(0).astype(float), 3).tolist()        # the scene's spread of clear log bands, across pixels
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', RuntimeWarning)
        tstd = np.nanstd(np.where(val & cl[:, None], x, np.nan), 0).transpose(1, 2, 0)   # (H, W, 5) each pixel's clear log bands' spread over the dates
    tgood = inside & np.isfinite(tstd).all(-1)
    out['temporal_std_mean'] = np.round(tstd[tgood].mean(0).astype(float), 3).tolist()
    out['temporal_std_from_mean_r2'] = np.round(blocked_r2(means['clear'], tstd, tgood & good), 3).tolist()   # how much of it the pixel's clear level already says
    qa = Query(grid.as_tile, to_ms('2015-01-01'), to_ms('2022-01-01'))          # the whole archive (what the normaliser sees)
    na = len(select_frames(m, 'sentinel2', qa, 10**6, 'even'))
    va = read_sequence(m, qa, DataConfig(size=tuple(grid.shape), res=grid.res, sources={'sentinel2': ('B02',)}, max_frames={'sentinel2': na}, subsample='even'))['sources']['sentinel2']
    fa = va['frame_mask'].numpy()
    blue = va['x'].numpy()[fa][:, 0][va['valid'].numpy()[fa][:, 0] & va['clear'].numpy()[fa] & inside]
    out['archive_frames'], out['blue_below_11dn'] = int(fa.sum()), round(float((blue < np.log1p(11)).mean()), 4)   # clear B02 under 11 DN
    out['blue_log_std'] = round(float(blue.std()), 3)
    out['blue_log_percentiles'] = {str(k): round(float(v), 2) for k, v in zip((1, 5, 25, 50, 75, 95, 99), np.percentile(blue, (1, 5, 25, 50, 75, 95, 99)))}
    bi = [list(get_source('sentinel2').band_names).index(b) for b in names]
    for r in runs:
        ck, tif = Path(work)/r/'checkpoint.pt', Path(work)/r/'tree_cover_embeddings.tif'
        E = read_embeddings(tif)[0]; good = inside & np.isfinite(E).all(-1)
        s = raster_samples(lab, tif, ls.task)
        nm = load_checkpoint(ck)['model']                                          # the run's band normaliser: its spread per band
        sd = np.sqrt(nm['normalizer.sentinel2_m2'].numpy()[bi] / nm['normalizer.sentinel2_count'].numpy()[bi].clip(1))
        d = dict(r2=np.round(blocked_r2(E, C, good), 3).tolist(), mae=err(s), whitened_mae=err(s, whiten(s.x.astype(np.float64), E[good].astype(np.float64))),
                 normaliser_std=np.round(sd, 3).tolist(), temporal_std_r2=np.round(blocked_r2(E, tstd, good & tgood), 3).tolist())
        tifc = Path(work)/r/'tree_cover_clear_pooling.tif'
        with clear_pooling(): embed(ck, m, ls.start, ls.end, tifc, overwrite=True, progress=False, log=lambda *a: None)
        Ec = read_embeddings(tifc)[0]
        d.update(clear_pooling_r2=np.round(blocked_r2(Ec, C, inside & np.isfinite(Ec).all(-1)), 3).tolist(), clear_pooling_mae=err(raster_samples(lab, tifc, ls.task)))
        out['runs'][r] = d
        print('diagnose', r, d, flush=True)
    return out

def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument('--steps', type=int, default=500); ap.add_argument('--folds', type=int, default=200)
    ap.add_argument('--only', nargs='+'); ap.add_argument('--work', default='/tmp/aef-quality-study')
    ap.add_argument('--out', default=str(HERE/'quality_study.json'))
    ap.add_argument('--curve', type=int, help="also benchmark every this many steps on the way")
    ap.add_argument('--requality', action='store_true', help="re-run only the benchmark (baselines and each run's kept checkpoint)")
    ap.add_argument('--sets', nargs='+', default=list(LABEL_SETS), help="label sets --requality re-runs")
    ap.add_argument('--diagnose', nargs='+', metavar='RUN-STEPS', help="inference-only checks of these kept runs on the tree-cover scene")
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
    if a.diagnose:
        d = diagnose(a.diagnose, a.work, a.folds)                                 # new runs join the kept ones
        rec['diagnosis'] = dict(d, runs={**rec.get('diagnosis', {}).get('runs', {}), **d['runs']})
        path.write_text(json.dumps(rec, indent=1)); return
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
