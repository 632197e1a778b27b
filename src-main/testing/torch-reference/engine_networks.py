# The engine's networks (src-main/native/engine) as PyTorch modules with the same parameter names (encoder.blocks.*,
# projector.*, classifier.fusion.*, classifier.fc1/bn/fc2) and the same losses, so weights move between the two by
# name. The one PyTorch reference for the tests (training parity, ONNX export) and the PyTorch peers of the benches.
import json
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

MOBILENET_V2_STAGES = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]


# ---- encoders ----

def conv_bn_act(cin, cout, kernel, stride, groups, act):
    layers = [nn.Conv2d(cin, cout, kernel, stride, kernel // 2, groups=groups, bias=False), nn.BatchNorm2d(cout)]
    if act == 'relu':
        layers.append(nn.ReLU())
    elif act == 'relu6':
        layers.append(nn.ReLU6())
    return nn.Sequential(*layers)


class InvertedResidual(nn.Module):
    def __init__(self, cin, cout, stride, expand):
        super().__init__()
        hidden = cin * expand
        self.residual = stride == 1 and cin == cout
        layers = [conv_bn_act(cin, hidden, 1, 1, 1, 'relu6')] if expand != 1 else []
        layers += [conv_bn_act(hidden, hidden, 3, stride, hidden, 'relu6'),
                   nn.Conv2d(hidden, cout, 1, bias=False), nn.BatchNorm2d(cout)]
        self.conv = nn.Sequential(*layers)

    def forward(self, x):
        return x + self.conv(x) if self.residual else self.conv(x)


class Encoder(nn.Module):
    def __init__(self, blocks, feature_dim):
        super().__init__()
        self.blocks = nn.Sequential(*blocks)
        self.feature_dim = feature_dim

    def forward(self, x):
        return F.adaptive_avg_pool2d(self.blocks(x), 1).flatten(1)


def mobilenet_v2():
    blocks = [conv_bn_act(1, 32, 3, 2, 1, 'relu6')]
    cin = 32
    for expand, channels, repeats, stride in MOBILENET_V2_STAGES:
        for i in range(repeats):
            blocks.append(InvertedResidual(cin, channels, stride if i == 0 else 1, expand))
            cin = channels
    blocks.append(conv_bn_act(cin, 1280, 1, 1, 1, 'relu6'))
    return Encoder(blocks, 1280)


def simple_cnn():
    blocks, cin = [], 1
    for channels in (32, 64, 128):
        blocks.append(nn.Sequential(*conv_bn_act(cin, channels, 3, 1, 1, 'relu'), nn.MaxPool2d(2)))
        cin = channels
    return Encoder(blocks, 128)


# ---- SimCLR pretraining ----

class ProjectionHead(nn.Module):
    def __init__(self, feature_dim, hidden=512, out=128):
        super().__init__()
        self.fc1, self.bn, self.fc2 = nn.Linear(feature_dim, hidden), nn.BatchNorm1d(hidden), nn.Linear(hidden, out)

    def forward(self, h):
        return self.fc2(F.relu(self.bn(self.fc1(h))))


class SimClrNetwork(nn.Module):
    """encoder + projector, named as the engine's Network (its classifier is not part of a pretraining step)."""

    def __init__(self, encoder):
        super().__init__()
        self.encoder = encoder
        self.projector = ProjectionHead(encoder.feature_dim)


def nt_xent(z1, z2, temperature):
    n = z1.shape[0]
    z = F.normalize(torch.cat([z1, z2]), dim=1)
    logits = (z @ z.t()) / temperature
    logits = logits.masked_fill(torch.eye(2 * n, dtype=torch.bool), -1e9)
    targets = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
    return F.cross_entropy(logits, targets)


# ---- the quantum layer: a float64 statevector simulator written with differentiable torch ops ----

# The circuit spec (src-main/quantum) and the engine's probes spell the entanglers differently.
ENTANGLER_NAMES = {'cnot-ring': 'CnotRing', 'cz-ring': 'CzRing', 'cnot-chain': 'CnotChain'}


def _apply(state, gate, wire):
    """gate: (2,2) or (B,2,2) complex; state: (B, 2, …, 2) with wire w on axis w+1."""
    x = state.movedim(wire + 1, -1)
    if gate.dim() == 2:
        gate = gate.expand(x.shape[0], 2, 2)
    y = torch.einsum('bij,b...j->b...i', gate, x)
    return y.movedim(-1, wire + 1)


def _ry(theta):
    c, s = torch.cos(theta / 2), torch.sin(theta / 2)
    return torch.stack([torch.stack([c, -s], -1), torch.stack([s, c], -1)], -2).to(torch.complex128)


def _rz(theta):
    zero = torch.zeros_like(theta)
    a, b = torch.exp(torch.complex(zero, -theta / 2)), torch.exp(torch.complex(zero, theta / 2))
    zc = torch.complex(zero, zero)
    return torch.stack([torch.stack([a, zc], -1), torch.stack([zc, b], -1)], -2)


def _rx(theta):
    zero = torch.zeros_like(theta)
    c, s = torch.complex(torch.cos(theta / 2), zero), torch.complex(zero, -torch.sin(theta / 2))
    return torch.stack([torch.stack([c, s], -1), torch.stack([s, c], -1)], -2)


def _cnot(state, control, target):
    parts = list(state.unbind(control + 1))
    axis = target + 1 if target < control else target  # after unbinding the control axis
    parts[1] = parts[1].flip(axis)
    return torch.stack(parts, control + 1)


def _cz(state, control, target):
    parts = list(state.unbind(control + 1))
    axis = target + 1 if target < control else target
    sign = torch.tensor([1.0, -1.0], dtype=torch.float64).to(torch.complex128)
    shape = [1] * parts[1].dim()
    shape[axis] = 2
    parts[1] = parts[1] * sign.view(shape)
    return torch.stack(parts, control + 1)


def quantum_expectations(u, theta, qubits, layers, rotation='Rot', entangler='CnotRing', reupload=False):
    """⟨Z_q⟩ per sample for the engine's circuit family (quantum/tape.h): encoding RY(u_q), then per layer the
    rotation on every wire (Rot = RZ(φ), RY(θ), RZ(ω) in that order) and the entangler; wire 0 is the most
    significant bit. `entangler` takes either spelling (CnotRing or cnot-ring)."""
    entangler = ENTANGLER_NAMES.get(entangler, entangler)
    b = u.shape[0]
    per = 3 if rotation == 'Rot' else 1
    state = torch.zeros((b,) + (2,) * qubits, dtype=torch.complex128)
    state[(slice(None),) + (0,) * qubits] = 1

    def encode(s):
        for q in range(qubits):
            s = _apply(s, _ry(u[:, q]), q)
        return s

    state = encode(state)
    pairs = [(q, q + 1) for q in range(qubits - 1)]
    if entangler in ('CnotRing', 'CzRing') and qubits > 2:
        pairs.append((qubits - 1, 0))
    for layer in range(layers):
        if reupload and layer > 0:
            state = encode(state)
        for q in range(qubits):
            t = theta[(layer * qubits + q) * per:(layer * qubits + q + 1) * per]
            if rotation == 'Rot':
                state = _apply(state, _rz(t[0]), q)
                state = _apply(state, _ry(t[1]), q)
                state = _apply(state, _rz(t[2]), q)
            else:
                state = _apply(state, {'RX': _rx, 'RY': _ry, 'RZ': _rz}[rotation](t[0]), q)
        for c, t in pairs:
            state = _cz(state, c, t) if entangler == 'CzRing' else _cnot(state, c, t)
    prob = state.abs() ** 2
    out = []
    for q in range(qubits):
        marginal = prob.movedim(q + 1, -1).reshape(b, -1, 2).sum(1)
        out.append(marginal[:, 0] - marginal[:, 1])
    return torch.stack(out, 1)


class Circuit(nn.Module):
    """The quantum layer as a module: its rotation angles are the parameter `weights` (the engine's name)."""

    def __init__(self, spec):
        super().__init__()
        self.spec = spec
        per = 3 if spec['rotation'] == 'Rot' else 1
        self.weights = nn.Parameter(torch.rand(spec['layers'] * spec['qubits'] * per) * 2 * math.pi)

    def forward(self, u):
        spec = self.spec
        return quantum_expectations(u.to(torch.float64), self.weights.to(torch.float64), spec['qubits'], spec['layers'],
                                    spec['rotation'], spec['entangler'], spec['reupload'])


# ---- the classifier ----

class QuantumFusion(nn.Module):
    def __init__(self, feature_dim, spec, alpha):
        super().__init__()
        self.toAngles = nn.Linear(feature_dim, spec['qubits'])
        self.quantum = Circuit(spec)
        self.fuse = nn.Linear(spec['qubits'], feature_dim, bias=False)
        self.alpha = nn.Parameter(torch.full((1,), alpha))

    def angles(self, h):
        return math.pi * torch.tanh(self.toAngles(h))

    def fuse_q(self, h, q):
        return h + self.alpha * self.fuse(q)

    def forward(self, h):
        return self.fuse_q(h, self.quantum(self.angles(h)).to(h.dtype))


class ClassifierHead(nn.Module):
    def __init__(self, feature_dim, spec, hidden=256, dropout=0.3, alpha=0.1):
        super().__init__()
        if spec is not None:
            self.fusion = QuantumFusion(feature_dim, spec, alpha)
        self.fc1 = nn.Linear(feature_dim, hidden)
        self.bn = nn.BatchNorm1d(hidden)
        self.dropout = nn.Dropout(dropout)
        self.fc2 = nn.Linear(hidden, 2)

    def from_fused(self, fused, keep=None):
        hidden = torch.relu(self.bn(self.fc1(fused)))
        hidden = hidden * keep if keep is not None else self.dropout(hidden)
        return self.fc2(hidden)

    def forward(self, h):
        return self.from_fused(self.fusion(h) if hasattr(self, 'fusion') else h)


class Network(nn.Module):
    """MobileNetV2 encoder + (optional quantum fusion) classifier head, answering class probabilities."""

    def __init__(self, spec, hidden=256, dropout=0.3, alpha=0.1):
        super().__init__()
        self.encoder = mobilenet_v2()
        self.classifier = ClassifierHead(1280, spec, hidden, dropout, alpha)

    def forward(self, x):
        return torch.softmax(self.classifier(self.encoder(x)), 1)


# ---- weights in the engine's raw float32 + JSON layout ----

def randomise(network, seed, image_size=64):
    """Engine-like init (He fan-out convs), random BatchNorm affine terms, and running statistics calibrated on
    random batches: without calibration a random deep net in eval mode maps every input to the same features."""
    torch.manual_seed(seed)
    for module in network.modules():
        if isinstance(module, nn.Conv2d):
            nn.init.kaiming_normal_(module.weight, mode='fan_out', nonlinearity='relu')
        if isinstance(module, (nn.BatchNorm1d, nn.BatchNorm2d)):
            with torch.no_grad():
                module.weight.uniform_(0.5, 1.5)
                module.bias.normal_(0, 0.1)
            module.momentum = None  # cumulative average over the calibration batches
    if hasattr(network.classifier, 'fusion'):
        with torch.no_grad():
            network.classifier.fusion.alpha.fill_(0.5)  # large enough that q visibly moves the score
    network.train()
    with torch.no_grad():
        for _ in range(2):
            network(torch.randn(16, 1, image_size, image_size))
    network.eval()
    return network


def save_weights(network, directory):
    """Raw little-endian float32 of every parameter and buffer, and weights.json listing name, shape and offset."""
    entries, offset = [], 0
    with open(os.path.join(directory, 'weights.f32'), 'wb') as out:
        for name, tensor in list(network.state_dict().items()):
            if name.endswith('num_batches_tracked'):
                continue
            data = tensor.detach().to(torch.float32).contiguous().numpy().tobytes()
            out.write(data)
            entries.append({'name': name, 'shape': list(tensor.shape), 'offset': offset})
            offset += len(data)
    with open(os.path.join(directory, 'weights.json'), 'w') as out:
        json.dump(entries, out)


def load_weights(network, directory):
    """The inverse of save_weights: every saved tensor back into the network (eval mode)."""
    import numpy as np
    entries = json.load(open(os.path.join(directory, 'weights.json')))
    raw = np.fromfile(os.path.join(directory, 'weights.f32'), dtype=np.float32)
    state = network.state_dict()
    for entry in entries:
        count = int(np.prod(entry['shape'])) if entry['shape'] else 1
        values = raw[entry['offset'] // 4: entry['offset'] // 4 + count].reshape(entry['shape'])
        state[entry['name']].copy_(torch.from_numpy(values.copy()))
    network.eval()
    return network


def load_named_arrays(folder, prefix):
    """<prefix>.json lists [name, shape] in order; <prefix>.bin holds their float32 values back to back."""
    import numpy as np
    index = json.load(open(os.path.join(folder, f'{prefix}.json')))
    flat = np.fromfile(os.path.join(folder, f'{prefix}.bin'), dtype=np.float32)
    out, offset = {}, 0
    for name, shape in index:
        size = int(np.prod(shape)) if shape else 1
        out[name] = torch.from_numpy(flat[offset:offset + size].reshape(shape).copy())
        offset += size
    return out
