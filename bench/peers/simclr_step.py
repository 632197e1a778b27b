# PyTorch eager peer for the training bench: the same MobileNetV2 + projection head + NT-Xent + AdamW step as the
# engine (src-main/testing/torch-reference/engine_networks.py), on the same batch shape and thread count.
# Usage: simclr_step.py SIZE BATCH STEPS THREADS [nchw|nhwc] → one JSON line {imagesPerSecond: [...], peakRssBytes}.
# nchw is plain eager PyTorch; nhwc (channels_last) is the same eager code in the layout the engine uses.
import json
import os
import resource
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'src-main', 'testing', 'torch-reference'))
from engine_networks import SimClrNetwork, mobilenet_v2, nt_xent  # noqa: E402

size, batch, steps, threads = (int(a) for a in sys.argv[1:5])
layout = sys.argv[5] if len(sys.argv) > 5 else 'nchw'
torch.set_num_threads(threads)
torch.manual_seed(0)
net = SimClrNetwork(mobilenet_v2())
net.train()
views = torch.randn(2 * batch, 1, size, size)
if layout == 'nhwc':
    net = net.to(memory_format=torch.channels_last)
    views = views.contiguous(memory_format=torch.channels_last)
groups = [{'params': list(net.projector.parameters())}, {'params': list(net.encoder.parameters())}]
optimizer = torch.optim.AdamW(groups, lr=1e-3, weight_decay=1e-4)


def step():
    z = net.projector(net.encoder(views))
    z1, z2 = z.chunk(2)
    loss = nt_xent(z1, z2, 0.2)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()


for _ in range(2):  # warm-up: allocator and oneDNN primitive caches
    step()
rates = []
for _ in range(steps):
    start = time.perf_counter()
    step()
    rates.append(2 * batch / (time.perf_counter() - start))
print(json.dumps({'imagesPerSecond': rates, 'peakRssBytes': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))
