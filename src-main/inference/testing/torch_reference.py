# The classifier as PyTorch modules with the libtorch engine's parameter names (src-main/native/engine:
# encoder.blocks.*, classifier.fusion.*, classifier.fc1/bn/fc2), plus the quantum layer as a torch statevector
# circuit. Used as the test oracle for the ONNX export and as the PyTorch-eager peer in the inference bench.
import math

import torch
from torch import nn

MOBILENET_V2_STAGES = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]


def conv_bn_act(cin, cout, kernel, stride, groups, act=True):
    layers = [nn.Conv2d(cin, cout, kernel, stride, kernel // 2, groups=groups, bias=False), nn.BatchNorm2d(cout)]
    if act:
        layers.append(nn.ReLU6())
    return nn.Sequential(*layers)


class InvertedResidual(nn.Module):
    def __init__(self, cin, cout, stride, expand):
        super().__init__()
        hidden = cin * expand
        self.residual = stride == 1 and cin == cout
        layers = [conv_bn_act(cin, hidden, 1, 1, 1)] if expand != 1 else []
        layers += [conv_bn_act(hidden, hidden, 3, stride, hidden), nn.Conv2d(hidden, cout, 1, bias=False), nn.BatchNorm2d(cout)]
        self.conv = nn.Sequential(*layers)

    def forward(self, x):
        return x + self.conv(x) if self.residual else self.conv(x)


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        blocks = [conv_bn_act(1, 32, 3, 2, 1)]
        cin = 32
        for expand, channels, repeats, stride in MOBILENET_V2_STAGES:
            for i in range(repeats):
                blocks.append(InvertedResidual(cin, channels, stride if i == 0 else 1, expand))
                cin = channels
        blocks.append(conv_bn_act(cin, 1280, 1, 1, 1))
        self.blocks = nn.Sequential(*blocks)

    def forward(self, x):
        return torch.flatten(nn.functional.adaptive_avg_pool2d(self.blocks(x), 1), 1)


class Circuit(nn.Module):
    """RY(u) encoding on |0…0⟩, then per layer Rot/RX/RY/RZ on each wire and an entangler; wire 0 = most significant bit."""

    def __init__(self, spec):
        super().__init__()
        self.spec = spec
        per = 3 if spec['rotation'] == 'Rot' else 1
        self.weights = nn.Parameter(torch.rand(spec['layers'] * spec['qubits'] * per) * 2 * math.pi)

    @staticmethod
    def _rot(kind, angle):
        # angle: (batch,) or scalar tensor → (batch, 2, 2) or (2, 2) complex
        c, s = torch.cos(angle / 2).to(torch.complex128), torch.sin(angle / 2).to(torch.complex128)
        if kind == 'RY':
            rows = [[c, -s], [s, c]]
        elif kind == 'RX':
            rows = [[c, -1j * s], [-1j * s, c]]
        else:
            e = torch.exp(-0.5j * angle.to(torch.complex128))
            rows = [[e, torch.zeros_like(e)], [torch.zeros_like(e), e.conj()]]
        return torch.stack([torch.stack(r, -1) for r in rows], -2)

    def _apply(self, state, wire, m):
        state = state.movedim(wire + 1, -1)
        state = torch.einsum('b...j,bij->b...i', state, m) if m.dim() == 3 else torch.einsum('b...j,ij->b...i', state, m)
        return state.movedim(-1, wire + 1)

    def _entangle(self, state, a, b):
        # On the half of the state where wire a is 1: CNOT flips wire b, CZ negates where wire b is 1.
        idx = [slice(None)] * (self.spec['qubits'] + 1)
        idx[a + 1] = 1
        sub = state[tuple(idx)]
        dim = 1 + (b if b < a else b - 1)
        if self.spec['entangler'] == 'cz-ring':
            changed = torch.cat([sub.narrow(dim, 0, 1), -sub.narrow(dim, 1, 1)], dim)
        else:
            changed = sub.flip(dim)
        state = state.clone()
        state[tuple(idx)] = changed
        return state

    def forward(self, u):
        spec, Q, B = self.spec, self.spec['qubits'], u.shape[0]
        u = u.to(torch.float64)
        theta = self.weights.to(torch.float64)
        state = torch.zeros((B,) + (2,) * Q, dtype=torch.complex128)
        state[(slice(None),) + (0,) * Q] = 1
        pairs = [(q, q + 1) for q in range(Q - 1)]
        if spec['entangler'] != 'cnot-chain' and Q > 2:
            pairs.append((Q - 1, 0))
        per = 3 if spec['rotation'] == 'Rot' else 1

        def encode(state):
            for q in range(Q):
                state = self._apply(state, q, self._rot('RY', u[:, q]))
            return state

        state = encode(state)
        for layer in range(spec['layers']):
            if spec['reupload'] and layer > 0:
                state = encode(state)
            for q in range(Q):
                first = (layer * Q + q) * per
                gates = ['RZ', 'RY', 'RZ'] if spec['rotation'] == 'Rot' else [spec['rotation']]
                for a, gate in enumerate(gates):
                    state = self._apply(state, q, self._rot(gate, theta[first + a]))
            for a, b in pairs:
                state = self._entangle(state, a, b)
        probs = (state.abs() ** 2).reshape(B, -1)
        out = []
        for q in range(Q):
            bit = (torch.arange(2 ** Q) >> (Q - 1 - q)) & 1
            out.append((probs * (1 - 2 * bit).to(torch.float64)).sum(1))
        return torch.stack(out, 1)


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
    def __init__(self, spec, hidden=256, dropout=0.3, alpha=0.1):
        super().__init__()
        self.encoder = Encoder()
        self.classifier = ClassifierHead(1280, spec, hidden, dropout, alpha)

    def forward(self, x):
        return torch.softmax(self.classifier(self.encoder(x)), 1)


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
    import json, os
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
    import json, os
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
