# Two BYOL training steps in PyTorch from the engine's exported weights and views (Grill et al. 2020, as
# engine/byol.h states it): online encoder + projector + predictor, target under no_grad, symmetric loss 2 − 2·cos
# per view pair, AdamW over projector, encoder and predictor on the engine's cosine learning-rate schedule, then
# target ← τ·target + (1 − τ)·online with τ_k = 1 − (1 − τ_base)(cos(πk/K) + 1)/2. Output JSON: both losses, the
# largest difference per tensor after the steps, and how far the target moved.
import json
import math
import sys

import numpy as np
import torch
import torch.nn.functional as F

job = json.load(sys.stdin)
sys.path.insert(0, job['referenceDir'])  # the folder of engine_networks.py
from engine_networks import ProjectionHead, SimClrNetwork, load_named_arrays, mobilenet_v2, simple_cnn  # noqa: E402
torch.set_num_threads(2)
folder = job['folder']


def load(prefix):
    return load_named_arrays(folder, prefix)


def make_encoder():
    return mobilenet_v2() if job['encoder'] == 'mobilenet_v2' else simple_cnn()


def fill(module, values, prefix):
    state = module.state_dict()
    for name in state:
        state[name] = values[prefix + name].to(state[name].dtype)
    module.load_state_dict(state)


before = load('before')
online, target = SimClrNetwork(make_encoder()), SimClrNetwork(make_encoder())
predictor = ProjectionHead(job['projectionDim'], job['projectionHidden'], job['projectionDim'])
fill(online, before, '')
fill(target, before, 'byol.target.')
fill(predictor, before, 'byol.predictor.')
for p in target.parameters():
    p.requires_grad_(False)
online, target = online.to(memory_format=torch.channels_last), target.to(memory_format=torch.channels_last)
for m in (online, target, predictor):
    m.train()
groups = [{'params': list(online.projector.parameters())}, {'params': list(online.encoder.parameters())},
          {'params': list(predictor.parameters())}]
optimizer = torch.optim.AdamW(groups, lr=job['learningRate'], weight_decay=job['weightDecay'])


def cosine(a, b):
    return (F.normalize(a, dim=1) * F.normalize(b, dim=1)).sum(1)


losses = []
for k in range(job['steps']):
    views = torch.from_numpy(np.fromfile(f'{folder}/views{k}.bin', dtype=np.float32))
    views = views.reshape(-1, 1, job['size'], job['size']).contiguous(memory_format=torch.channels_last)
    p1, p2 = predictor(online.projector(online.encoder(views))).chunk(2)
    with torch.no_grad():
        t1, t2 = target.projector(target.encoder(views)).chunk(2)
    loss = ((2 - 2 * cosine(p1, t2)) + (2 - 2 * cosine(p2, t1))).mean()
    for group in optimizer.param_groups:  # the engine's schedule with no warmup: cosine from the stage's rate to 0
        group['lr'] = job['learningRate'] * 0.5 * (1 + math.cos(math.pi * k / job['totalSteps']))
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    tau = 1 - (1 - job['emaMomentum']) * (math.cos(math.pi * k / job['totalSteps']) + 1) / 2
    with torch.no_grad():
        online_params = dict(online.named_parameters())
        for name, p in target.named_parameters():
            p.mul_(tau).add_(online_params[name], alpha=1 - tau)
    losses.append(loss.item())

after = load('after')
result = {'losses': losses, 'maxDiff': {}, 'targetMoved': 0.0}
for prefix, module in (('', online), ('byol.target.', target), ('byol.predictor.', predictor)):
    for name, value in module.state_dict().items():
        result['maxDiff'][prefix + name] = float((value.float() - after[prefix + name]).abs().max())
for name, _ in target.named_parameters():
    key = 'byol.target.' + name
    result['targetMoved'] = max(result['targetMoved'], float((after[key] - before[key]).abs().max()))
json.dump(result, sys.stdout)
