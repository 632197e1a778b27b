# PyTorch mirror of the engine's networks (src-main/native/engine): same modules, same parameter names, same
# losses, so weights exported by the engine load here by name. Used by the parity checks and the speed peer.
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


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
        layers = []
        if expand != 1:
            layers.append(conv_bn_act(cin, hidden, 1, 1, 1, 'relu6'))
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
    stages = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]
    blocks = [conv_bn_act(1, 32, 3, 2, 1, 'relu6')]
    cin = 32
    for expand, channels, repeats, stride in stages:
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


# ---- quantum layer reference: a float64 statevector simulator written with differentiable torch ops ----

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
    rotation on every wire (Rot = RZ(φ), RY(θ), RZ(ω) in that order) and the entangler."""
    b = u.shape[0]
    per = 3 if rotation == 'Rot' else 1
    state = torch.zeros((b,) + (2,) * qubits, dtype=torch.complex128)
    state[(slice(None),) + (0,) * qubits] = 1
    def encode(s):
        for q in range(qubits):
            s = _apply(s, _ry(u[:, q]), q)
        return s
    state = encode(state)
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
        pairs = [(q, q + 1) for q in range(qubits - 1)]
        if entangler in ('CnotRing', 'CzRing') and qubits > 2:
            pairs.append((qubits - 1, 0))
        for c, t in pairs:
            state = _cz(state, c, t) if entangler == 'CzRing' else _cnot(state, c, t)
    prob = state.abs() ** 2
    out = []
    for q in range(qubits):
        marginal = prob.movedim(q + 1, -1).reshape(b, -1, 2).sum(1)
        out.append(marginal[:, 0] - marginal[:, 1])
    return torch.stack(out, 1)
