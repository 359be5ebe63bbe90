#!/usr/bin/python3
"""PyTorch twins of Nuclei's U-Net family (src/Nuclei.Torch/Models), for side-by-side timing with TorchSharp.

Run with Debian's /usr/bin/python3 (python3-torch). Same measurement as `Nuclei.Bench models-speed`:
fastest forward pass (eval, no grad) and fastest training step (forward + BCE-with-logits + backward + Adam) of
`--steps` timed steps after `--warmup` steps, batch `--batch`, random input. Prints the same TSV columns.
`--flops` prints the forward multiply-add FLOPs of the convolutions per image instead.
"""
import argparse
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class ConvBlock(nn.Module):
    def __init__(self, cin, cout, order="CAB", bn=True, dilation=1):
        super().__init__()
        layers, conv_done = [], False
        for step in order.upper():
            if step == "C":
                layers.append(nn.Conv2d(cin, cout, 3, padding=dilation, dilation=dilation)); conv_done = True
            elif step == "A":
                layers.append(nn.ReLU(inplace=len(layers) > 0))
            elif step == "B" and bn:
                layers.append(nn.BatchNorm2d(cout if conv_done else cin))
        self.body = nn.Sequential(*layers)

    def forward(self, x):
        return self.body(x)


class Level(nn.Module):
    def __init__(self, cin, cout, dropout=0.2, d1=1, d2=1):
        super().__init__()
        self.block1 = ConvBlock(cin, cout, dilation=d1)
        self.block2 = ConvBlock(cout, cout, dilation=d2)
        self.dropout = nn.Dropout2d(dropout) if dropout > 0 else nn.Identity()

    def forward(self, x):
        return self.dropout(self.block2(self.block1(x)))


class DilatedCascade(nn.Module):
    def __init__(self, cin, cout, dropout=0.2):
        super().__init__()
        self.blocks = nn.ModuleList([ConvBlock(cin, cout)] + [ConvBlock(cout, cout, dilation=d) for d in (2, 4, 8)])
        self.dropout = nn.Dropout2d(dropout)

    def forward(self, x):
        cur = self.blocks[0](x); total = cur
        for b in self.blocks[1:]:
            cur = b(cur); total = total + cur
        return self.dropout(total)


class PlainEncoder(nn.Module):
    def __init__(self, cin=3, base=16, depth=4, dilated=False):
        super().__init__()
        self.levels = nn.ModuleList()
        self.skip_channels = []
        for l in range(depth):
            w = base << l
            self.levels.append(Level(cin, w, d2=2 if dilated and l >= depth - 2 else 1))
            self.skip_channels.append(w); cin = w
        self.bottleneck_channels = base << depth
        self.bottleneck = DilatedCascade(cin, self.bottleneck_channels) if dilated else Level(cin, self.bottleneck_channels)

    def forward(self, x):
        feats = []
        for lvl in self.levels:
            x = lvl(x); feats.append(x); x = F.max_pool2d(x, 2)
        feats.append(self.bottleneck(x))
        return feats


class LiteEncoder(nn.Module):
    def __init__(self, cin=3, base=16, depth=4):
        super().__init__()
        stem_w = max(1, base // 2)
        self.stem = ConvBlock(cin, stem_w)
        self.skip_channels = [stem_w]
        self.levels = nn.ModuleList()
        c = 4 * stem_w
        for l in range(1, depth):
            w = base << l
            self.levels.append(Level(c, w)); self.skip_channels.append(w); c = w
        self.bottleneck_channels = base << depth
        self.bottleneck = Level(c, self.bottleneck_channels)

    def forward(self, x):
        s = self.stem(x); feats = [s]
        x = F.pixel_unshuffle(s, 2)
        for lvl in self.levels:
            x = lvl(x); feats.append(x); x = F.max_pool2d(x, 2)
        feats.append(self.bottleneck(x))
        return feats


def match_size(x, like):
    dh, dw = like.shape[2] - x.shape[2], like.shape[3] - x.shape[3]
    if dh == 0 and dw == 0:
        return x
    return F.pad(x, (dw // 2, dw - dw // 2, dh // 2, dh - dh // 2), mode="reflect")


class Decoder(nn.Module):
    def __init__(self, encoder, widths, out_channels):
        super().__init__()
        self.ups, self.levels = nn.ModuleList(), nn.ModuleList()
        c = encoder.bottleneck_channels
        for l in reversed(range(len(widths))):
            self.ups.append(nn.ConvTranspose2d(c, widths[l], 2, stride=2))
            self.levels.append(Level(widths[l] + encoder.skip_channels[l], widths[l]))
            c = widths[l]
        self.head = nn.Conv2d(c, out_channels, 1)

    def forward(self, feats):
        x = feats[-1]
        n = len(feats) - 1
        for i, (up, lvl) in enumerate(zip(self.ups, self.levels)):
            skip = feats[n - 1 - i]
            u = up(x)
            x = lvl(torch.cat([match_size(u, skip), skip], 1))
        return self.head(x)


class MultiHeadUNet(nn.Module):
    def __init__(self, heads, encoder, widths, shared):
        super().__init__()
        self.encoder = encoder
        self.decoders = nn.ModuleList([Decoder(encoder, widths, heads)] if shared else
                                      [Decoder(encoder, widths, 1) for _ in range(heads)])

    def forward(self, x):
        feats = self.encoder(x)
        outs = [d(feats) for d in self.decoders]
        return outs[0] if len(outs) == 1 else torch.cat(outs, 1)


def build(name, base=16, depth=4):
    heads = {"unet": 1, "dunet": 1, "caunet": 2, "camunet": 3, "scamunet": 3, "camdunet": 3,
             "camunet_lite": 3, "caunet_lite": 2}[name]
    if name.endswith("_lite"):
        enc = LiteEncoder(3, base, depth)
        return MultiHeadUNet(heads, enc, list(enc.skip_channels), shared=False)
    enc = PlainEncoder(3, base, depth, dilated=name in ("dunet", "camdunet"))
    return MultiHeadUNet(heads, enc, [base << l for l in range(depth)], shared=name == "scamunet")


def count_flops(net, size):
    total = [0]

    def hook(m, inp, out):
        k = m.kernel_size[0] * m.kernel_size[1]
        if isinstance(m, nn.ConvTranspose2d):
            total[0] += 2 * inp[0].numel() * m.out_channels * k
        else:
            total[0] += 2 * out.numel() * (m.in_channels // m.groups) * k

    hs = [m.register_forward_hook(hook) for m in net.modules() if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d))]
    net.eval()
    with torch.no_grad():
        net(torch.rand(1, 3, size, size))
    for h in hs:
        h.remove()
    return total[0]


def time_forward(net, batch, size, steps, warmup):
    net.eval()
    x = torch.rand(batch, 3, size, size)
    best = float("inf")
    with torch.no_grad():
        for i in range(warmup + steps):
            t0 = time.perf_counter(); net(x); dt = (time.perf_counter() - t0) * 1000
            if i >= warmup:
                best = min(best, dt)
    return best


def time_train(net, batch, size, steps, warmup, heads):
    net.train()
    opt = torch.optim.Adam(net.parameters(), 1e-4)
    best = float("inf")
    for i in range(warmup + steps):
        t0 = time.perf_counter(); c0 = time.process_time()
        x = torch.rand(batch, 3, size, size)
        target = (torch.rand(batch, heads, size, size) > 0.5).float()
        opt.zero_grad()
        loss = F.binary_cross_entropy_with_logits(net(x), target)
        loss.backward()
        opt.step()
        dt = (time.perf_counter() - t0) * 1000
        print(f"  {i}: wall {dt:.0f} ms, cpu {(time.process_time() - c0) * 1000:.0f} ms", file=__import__("sys").stderr)
        if i >= warmup:
            best = min(best, dt)
    return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--archs", default="unet,caunet,camunet,scamunet")
    ap.add_argument("--sizes", default="256")
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--steps", type=int, default=3)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--forward", action="store_true")
    ap.add_argument("--flops", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    if a.flops:
        print("arch\tsize\tparams\tforward_gflop_per_image")
        for arch in a.archs.split(","):
            for size in map(int, a.sizes.split(",")):
                net = build(arch)
                print(f"{arch}\t{size}\t{sum(p.numel() for p in net.parameters())}\t{count_flops(net, size) / 1e9:.2f}")
        return
    print(f"# PyTorch {torch.__version__}, threads={torch.get_num_threads()}, batch={a.batch}, steps={a.steps}, warmup={a.warmup}")
    print("impl\tarch\tsize\tparams\tforward_ms\ttrain_step_ms\ttrain_img_per_s")
    for arch in a.archs.split(","):
        for size in map(int, a.sizes.split(",")):
            torch.manual_seed(0)
            net = build(arch)
            heads = net.decoders[0].head.out_channels * len(net.decoders)
            fwd = time_forward(net, a.batch, size, a.steps, a.warmup) if a.forward else float("nan")
            train = time_train(net, a.batch, size, a.steps, a.warmup, heads)
            params = sum(p.numel() for p in net.parameters())
            print(f"pytorch\t{arch}\t{size}\t{params}\t{fwd:.0f}\t{train:.0f}\t{a.batch * 1000 / train:.2f}", flush=True)


if __name__ == "__main__":
    main()
