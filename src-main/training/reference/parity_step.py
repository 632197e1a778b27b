# One SimCLR training step in PyTorch from the engine's exported weights and views: input JSON names the dump
# folder (channelsLast: run in the engine's NHWC layout); output JSON gives the loss and the largest absolute
# difference per tensor after the AdamW step.
import json
import sys

import numpy as np
import torch

job = json.load(sys.stdin)
sys.path.insert(0, job['referenceDir'])  # the folder of engine_networks.py
from engine_networks import SimClrNetwork, load_named_arrays, mobilenet_v2, nt_xent, simple_cnn  # noqa: E402
torch.set_num_threads(2)
folder = job['folder']


def load(prefix):
    return load_named_arrays(folder, prefix)


before, after = load('before'), load('after')
net = SimClrNetwork(mobilenet_v2() if job['encoder'] == 'mobilenet_v2' else simple_cnn())
state = net.state_dict()
for name in state:
    state[name] = before[name].to(state[name].dtype)
net.load_state_dict(state)
net.train()
views = torch.from_numpy(np.fromfile(f'{folder}/views.bin', dtype=np.float32)).reshape(-1, 1, job['size'], job['size'])
if job.get('channelsLast'):
    # The engine's layout: oneDNN sums in another order per layout, and Adam's first step (≈ lr·sign(g)) turns a
    # last-bit difference in a near-zero gradient into a 2·lr difference in the weight.
    net = net.to(memory_format=torch.channels_last)
    views = views.contiguous(memory_format=torch.channels_last)
# Same parameter groups as the engine's pretrain stage: projection head first, then the encoder.
groups = [{'params': list(net.projector.parameters())}, {'params': list(net.encoder.parameters())}]
optimizer = torch.optim.AdamW(groups, lr=job['learningRate'], weight_decay=job['weightDecay'])
z = net.projector(net.encoder(views))
z1, z2 = z.chunk(2)
loss = nt_xent(z1, z2, job['temperature'])
optimizer.zero_grad()
loss.backward()
optimizer.step()
result = {'loss': loss.item(), 'maxDiff': {}, 'maxChange': 0.0}
for name, value in net.state_dict().items():
    result['maxDiff'][name] = float((value.float() - after[name]).abs().max())
    result['maxChange'] = max(result['maxChange'], float((after[name] - before[name]).abs().max()))
json.dump(result, sys.stdout)
