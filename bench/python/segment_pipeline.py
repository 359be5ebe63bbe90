#!/usr/bin/python3
"""samuelschen/DSB2018's prediction pipeline in Python, as the comparison for `nuclei segment` (bench/segment-vs-python.sh).

Per image: read (scikit-image), normalise as training did, predict with the SAME network and weights
(read from the Nuclei checkpoint, TorchSharp state-dict format) on Debian's python3-torch, optional TTA
(the eight flips/rotations), then partition with scikit-image's random walker (markers from the marker head,
as samuelschen/DSB2018's "rw" policy), fill holes, drop small objects, and write a 16-bit label PNG.
Prints one line per run: median seconds per image.

usage: segment_pipeline.py CHECKPOINT OUT_DIR IMAGE... [--tta] [--threads N]
"""
import json
import warnings
import statistics
import struct
import sys
import time
from collections import OrderedDict

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from scipy import ndimage as ndi
from skimage import io, measure, morphology, segmentation

# ---------------------------------------------------------------------------------------------------------------
# Checkpoint (.nck): "NUCLEICK", int32 version, four int64-length-prefixed sections (JSON metadata, weights,
# optimizer, random state), "NCKEND!!". Weights are TorchSharp's Module.save format: LEB128 count, then per entry
# LEB128 name length + UTF-8 name, LEB128 element type, LEB128 rank, LEB128 dims, raw little-endian data.

def _leb128(buf, pos):
    result, shift = 0, 0
    while True:
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if b < 0x80:
            return result, pos
        shift += 7


_DTYPES = {0: np.uint8, 1: np.int8, 2: np.int16, 3: np.int32, 4: np.int64, 5: np.float16, 6: np.float32, 7: np.float64, 11: np.bool_}


def read_checkpoint(path):
    data = open(path, "rb").read()
    assert data[:8] == b"NUCLEICK", f"{path}: not a Nuclei checkpoint"
    pos = 12
    sections = []
    for _ in range(4):
        (n,) = struct.unpack_from("<q", data, pos)
        pos += 8
        sections.append(data[pos:pos + n])
        pos += n
    meta = json.loads(sections[0])
    w = sections[1]
    count, p = _leb128(w, 0)
    state = OrderedDict()
    for _ in range(count):
        n, p = _leb128(w, p)
        name = w[p:p + n].decode("utf-8")
        p += n
        etype, p = _leb128(w, p)
        rank, p = _leb128(w, p)
        shape = []
        for _ in range(rank):
            d, p = _leb128(w, p)
            shape.append(d)
        dt = np.dtype(_DTYPES[etype])
        size = int(np.prod(shape)) if shape else 1
        arr = np.frombuffer(w, dtype=dt, count=size, offset=p).reshape(shape).copy()
        p += size * dt.itemsize
        state[name] = torch.from_numpy(arr)
    return meta, state


# ---------------------------------------------------------------------------------------------------------------
# The plain multi-head U-Net of Nuclei.Torch.Models (unet, caunet, camunet, scamunet), module names as in C#
# so that the state dict loads strictly.

class ConvBlock(nn.Module):
    def __init__(self, cin, cout, o, dilation=1):
        super().__init__()
        layers, conv_done = [], False
        for step in o["BlockOrder"].upper():
            if step == "C":
                layers.append(("conv", nn.Conv2d(cin, cout, 3, padding=dilation, dilation=dilation)))
                conv_done = True
            elif step == "A":
                layers.append(("act", nn.ReLU(inplace=len(layers) > 0)))
            elif step == "B" and o["BatchNorm"]:
                layers.append(("bn", nn.BatchNorm2d(cout if conv_done else cin)))
        self.body = nn.Sequential(OrderedDict(layers))

    def forward(self, x):
        return self.body(x)


class UNetLevel(nn.Module):
    def __init__(self, cin, cout, o):
        super().__init__()
        self.block1 = ConvBlock(cin, cout, o)
        self.block2 = ConvBlock(cout, cout, o)
        self.dropout = nn.Dropout2d(o["Dropout"]) if o["Dropout"] > 0 else None

    def forward(self, x):
        x = self.block2(self.block1(x))
        return x if self.dropout is None else self.dropout(x)


class PlainEncoder(nn.Module):
    def __init__(self, o):
        super().__init__()
        self.levels = nn.ModuleList()
        cin = o["InChannels"]
        self.skip = []
        for l in range(o["Depth"]):
            width = o["BaseWidth"] << l
            self.levels.append(UNetLevel(cin, width, o))
            self.skip.append(width)
            cin = width
        self.bottleneck_channels = o["BaseWidth"] << o["Depth"]
        self.bottleneck = UNetLevel(cin, self.bottleneck_channels, o)
        self.pool = nn.MaxPool2d(2)

    def forward(self, x):
        feats = []
        for level in self.levels:
            x = level(x)
            feats.append(x)
            x = self.pool(x)
        feats.append(self.bottleneck(x))
        return feats


class LiteEncoder(nn.Module):
    """camunet_lite / caunet_lite: a narrow full-resolution stem, pixel unshuffle, the U-Net from half resolution."""
    def __init__(self, o):
        super().__init__()
        stem_w = max(1, o["BaseWidth"] // 2)
        self.stem = ConvBlock(o["InChannels"], stem_w, o)
        self.skip = [stem_w]
        self.levels = nn.ModuleList()
        cin = 4 * stem_w
        for l in range(1, o["Depth"]):
            width = o["BaseWidth"] << l
            self.levels.append(UNetLevel(cin, width, o))
            self.skip.append(width)
            cin = width
        self.bottleneck_channels = o["BaseWidth"] << o["Depth"]
        self.bottleneck = UNetLevel(cin, self.bottleneck_channels, o)
        self.pool = nn.MaxPool2d(2)

    def forward(self, x):
        s = self.stem(x)
        feats = [s]
        x = F.pixel_unshuffle(s, 2)
        for level in self.levels:
            x = level(x)
            feats.append(x)
            x = self.pool(x)
        feats.append(self.bottleneck(x))
        return feats


class UNetDecoder(nn.Module):
    def __init__(self, enc, out_channels, o):
        super().__init__()
        self.ups = nn.ModuleList()
        self.levels = nn.ModuleList()
        cin = enc.bottleneck_channels
        for l in range(len(enc.skip) - 1, -1, -1):
            w = enc.skip[l]  # decoder widths equal the skip widths (plain: BaseWidth << l; lite: stem width first)
            self.ups.append(nn.ConvTranspose2d(cin, w, 2, stride=2))
            self.levels.append(UNetLevel(w + enc.skip[l], w, o))
            cin = w
        self.head = nn.Conv2d(cin, out_channels, 1)

    def forward(self, feats):
        x = feats[-1]
        n = len(feats) - 1
        for i, (up, level) in enumerate(zip(self.ups, self.levels)):
            x = level(torch.cat([upsample(up, x), feats[n - 1 - i]], 1))
        return self.head(x)


def upsample(up, x):
    """The 2x2 stride-2 transposed convolution; in bfloat16 as the same sum by a 1x1 convolution to 4x the channels and
    a pixel shuffle, because torch 1.13's bfloat16 conv_transpose2d on CPU fails (it reads the weight's axes swapped)."""
    if x.dtype == torch.float32:
        return up(x)
    cin, cout = up.weight.shape[:2]
    w = up.weight.permute(1, 2, 3, 0).reshape(cout * 4, cin, 1, 1)
    return F.pixel_shuffle(F.conv2d(x, w, up.bias.repeat_interleave(4)), 2)


class MultiHeadUNet(nn.Module):
    def __init__(self, heads, o, shared, lite=False):
        super().__init__()
        self.encoder = LiteEncoder(o) if lite else PlainEncoder(o)
        self.decoders = nn.ModuleList([UNetDecoder(self.encoder, len(heads), o)] if shared
                                      else [UNetDecoder(self.encoder, 1, o) for _ in heads])

    def forward(self, x):
        feats = self.encoder(x)
        return torch.cat([d(feats) for d in self.decoders], 1)


def build(meta, state):
    name = meta["ModelName"]
    ported = ("unet", "caunet", "camunet", "scamunet", "camunet_lite", "caunet_lite")
    if name not in ported or meta["Options"].get("Encoder", "plain") != "plain":
        sys.exit(f"segment_pipeline.py: model '{name}' on encoder '{meta['Options'].get('Encoder', 'plain')}' is not ported to Python "
                 f"(only {', '.join(ported)} on the plain encoder)")
    net = MultiHeadUNet(meta["Heads"], meta["Options"], shared=(name == "scamunet"), lite=name.endswith("_lite"))
    missing, unexpected = net.load_state_dict(state, strict=False)
    if missing or unexpected:
        sys.exit(f"segment_pipeline.py: state dict mismatch: missing {missing[:5]}, unexpected {unexpected[:5]}")
    return net.eval()


# ---------------------------------------------------------------------------------------------------------------

def normalise(img, cfg):
    """HWC 0..1 → CHW, as Nuclei.Core.Augmentation.Normalization (channel mean/std, optional percentile stretch)."""
    def get(key, default):
        return cfg.get(f"pre.{key}", cfg.get(f"pre:{key}", default))
    mean = json.loads(get("mean", "[0.5, 0.5, 0.5]"))
    std = json.loads(get("std", "[0.5, 0.5, 0.5]"))
    x = img.astype(np.float32)
    if get("normalize", "channel").strip().lower() == "percentile":
        lo, hi = np.percentile(x, [float(get("percentile_low", 1)), float(get("percentile_high", 99.8))])
        x = (x - lo) / (hi - lo if hi - lo > 1e-6 else 1.0)
    c = x.shape[2]
    x = (x - np.array(mean[:c] + [mean[-1]] * (c - len(mean)), np.float32)) / np.array(std[:c] + [std[-1]] * (c - len(std)), np.float32)
    return np.ascontiguousarray(x.transpose(2, 0, 1))


def read_image(path, in_channels):
    img = io.imread(path)
    img = img.astype(np.float32) / (65535.0 if img.dtype == np.uint16 else 255.0)
    if img.ndim == 2:
        img = img[:, :, None]
    if img.shape[2] == 4:
        img = img[:, :, :3]
    if img.shape[2] == 1 and in_channels == 3:
        img = np.repeat(img, 3, axis=2)
    return img


VIEWS = [  # (forward, inverse) on [N, C, H, W]
    (lambda t: t, lambda t: t),
    (lambda t: t.flip(3), lambda t: t.flip(3)),
    (lambda t: t.flip(2), lambda t: t.flip(2)),
    (lambda t: t.flip(2, 3), lambda t: t.flip(2, 3)),
    (lambda t: t.rot90(1, (2, 3)), lambda t: t.rot90(3, (2, 3))),
    (lambda t: t.rot90(3, (2, 3)), lambda t: t.rot90(1, (2, 3))),
    (lambda t: t.transpose(2, 3), lambda t: t.transpose(2, 3)),
    (lambda t: t.flip(2, 3).transpose(2, 3), lambda t: t.transpose(2, 3).flip(2, 3)),
]


def predict(net, x, multiple, tta, dtype=torch.float32):
    _, h, w = x.shape
    ph, pw = -(-h // multiple) * multiple, -(-w // multiple) * multiple
    t = torch.from_numpy(x)[None]
    if ph != h or pw != w:
        t = F.pad(t, (0, pw - w, 0, ph - h), mode="reflect")
    views = VIEWS if tta else VIEWS[:1]
    t = t.to(dtype)
    with torch.no_grad():
        prob = sum(torch.sigmoid(inv(net(fwd(t)).float())) for fwd, inv in views) / len(views)
    return prob[0, :, :h, :w].numpy()


def partition_rw(prob, heads, cfg):
    """samuelschen/DSB2018's random-walker policy: seeds from the marker head inside the body, random walker on the body map."""
    def thr(key):
        return float(cfg.get(f"param.{key}", cfg.get(f"param:{key}", 0.5)))
    body = prob[heads.index("Semantic")]
    fg = body > thr("threshold")
    if "Marker" in heads:
        seeds = (prob[heads.index("Marker")] > thr("threshold_mark")) & fg
    elif "Contour" in heads:
        seeds = fg & ~(prob[heads.index("Contour")] > thr("threshold_edge"))
    else:
        seeds = fg
    markers = measure.label(seeds, connectivity=1)
    markers = morphology.remove_small_objects(markers, 5)
    if markers.max() == 0:
        return np.zeros(body.shape, np.uint16)
    markers[~fg] = -1  # pixels outside the body take no part
    labels = segmentation.random_walker(body, markers, beta=130, mode="cg_j", tol=1e-3)
    labels[labels < 0] = 0
    # missed body pieces become objects; holes filled; small objects dropped
    missed = measure.label(fg & (labels == 0), connectivity=1)
    labels = np.where(missed > 0, missed + labels.max(), labels)
    out = np.zeros(labels.shape, np.int32)
    for region in measure.regionprops(labels):
        if region.area < 10:
            continue
        minr, minc, maxr, maxc = region.bbox
        filled = ndi.binary_fill_holes(region.image)
        out[minr:maxr, minc:maxc][filled] = region.label
    out, _, _ = segmentation.relabel_sequential(out)
    return out.astype(np.uint16)


def main(argv):
    warnings.filterwarnings("ignore")
    tta = "--tta" in argv
    dtype = torch.float32
    if "--precision" in argv:
        dtype = {"fp32": torch.float32, "bf16": torch.bfloat16}[argv[argv.index("--precision") + 1]]
        del argv[argv.index("--precision"):argv.index("--precision") + 2]
    threads = 0
    if "--threads" in argv:
        threads = int(argv[argv.index("--threads") + 1])
        del argv[argv.index("--threads"):argv.index("--threads") + 2]
    args = [a for a in argv if a != "--tta"]
    ckpt, out_dir, images = args[0], args[1], args[2:]
    if threads > 0:
        torch.set_num_threads(threads)
    meta, state = read_checkpoint(ckpt)
    net = build(meta, state).to(dtype)
    cfg = meta.get("Configuration") or {}
    heads = meta["Heads"]
    multiple = 1 << meta["Options"]["Depth"]
    import os
    os.makedirs(out_dir, exist_ok=True)
    times = []
    for i, path in enumerate(images):
        t0 = time.perf_counter()
        img = read_image(path, meta["Options"]["InChannels"])
        prob = predict(net, normalise(img, cfg), multiple, tta, dtype)
        labels = partition_rw(prob, heads, cfg)
        name = os.path.splitext(os.path.basename(path))[0]
        io.imsave(os.path.join(out_dir, name + ".png"), labels, check_contrast=False)
        dt = time.perf_counter() - t0
        if i > 0:  # the first image warms up the allocator and thread pool
            times.append(dt)
    print(f"python median_seconds_per_image={statistics.median(times):.4f} images={len(times)} tta={tta} precision={str(dtype).replace('torch.', '')} torch={torch.__version__}")


if __name__ == "__main__":
    main(sys.argv[1:])
