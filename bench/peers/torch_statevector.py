"""Peer for the simulator bench and gradient oracle for its tests: the same circuit family as a batched
complex128 statevector in PyTorch, gradients by autograd. Written from the issue's description, not from our code.

Usage (JSON on stdin, JSON on stdout):
  torch_statevector.py oracle  {spec, inputs, params, gradOutput} (or a list) -> {expectations, gradInputs, gradParams}
  torch_statevector.py bench   {spec, batch, repeats, threads, capSeconds} -> {forward: [samples/s], backward: [...]}
"""
import json
import math
import sys
import time

import torch

torch.set_default_dtype(torch.float64)


def rotation(gate, angle):
    """2x2 matrices (batched over a leading dim when angle is a vector). R(a) = exp(-i a G / 2)."""
    c = torch.cos(angle / 2).to(torch.complex128)
    s = torch.sin(angle / 2).to(torch.complex128)
    z = torch.zeros_like(c)
    if gate == "RX":
        rows = [[c, -1j * s], [-1j * s, c]]
    elif gate == "RY":
        rows = [[c, -s], [s, c]]
    else:
        rows = [[c - 1j * s, z], [z, c + 1j * s]]
    return torch.stack([torch.stack(r, -1) for r in rows], -2)


def apply_single(state, matrix, wire):
    # state: (B, 2, ..., 2), wire 0 is axis 1 (most significant bit of the basis index).
    batch, q_count = state.shape[0], state.dim() - 1
    view = state.reshape(batch, 2 ** wire, 2, 2 ** (q_count - 1 - wire))
    x0, x1 = view[:, :, 0, :], view[:, :, 1, :]
    m = matrix.reshape(-1, 2, 2, 1, 1)  # per-sample (B, 2, 2) or shared (2, 2), broadcast over (L, R)
    new0 = m[:, 0, 0] * x0 + m[:, 0, 1] * x1
    new1 = m[:, 1, 0] * x0 + m[:, 1, 1] * x1
    return torch.stack([new0, new1], 2).reshape(state.shape)


def apply_cnot(state, control, target):
    s = state.movedim((control + 1, target + 1), (1, 2))
    s = torch.stack([s[:, 0], s[:, 1].flip(1)], 1)
    return s.movedim((1, 2), (control + 1, target + 1))


def apply_cz(state, a, b):
    sign = torch.ones(2, 2, dtype=torch.complex128)
    sign[1, 1] = -1
    s = state.movedim((a + 1, b + 1), (-2, -1)) * sign
    return s.movedim((-2, -1), (a + 1, b + 1))


def circuit(spec, inputs, params):
    """inputs (B, Q), params flat layer-major; returns <Z_q> (B, Q)."""
    q_count, layers = spec["qubits"], spec["layers"]
    batch = inputs.shape[0]
    state = torch.zeros((batch,) + (2,) * q_count, dtype=torch.complex128)
    state[(slice(None),) + (0,) * q_count] = 1
    angles = 3 if spec["rotation"] == "Rot" else 1

    def encode(state):
        for q in range(q_count):
            state = apply_single(state, rotation("RY", inputs[:, q]), q)
        return state

    state = encode(state)
    for layer in range(layers):
        if spec.get("reupload") and layer > 0:
            state = encode(state)
        for q in range(q_count):
            base = (layer * q_count + q) * angles
            if spec["rotation"] == "Rot":  # Rot(phi, theta, omega) = RZ(omega) RY(theta) RZ(phi)
                state = apply_single(state, rotation("RZ", params[base]), q)
                state = apply_single(state, rotation("RY", params[base + 1]), q)
                state = apply_single(state, rotation("RZ", params[base + 2]), q)
            else:
                state = apply_single(state, rotation(spec["rotation"], params[base]), q)
        pairs = [(q, q + 1) for q in range(q_count - 1)]
        if spec["entangler"] != "cnot-chain" and q_count > 2:
            pairs.append((q_count - 1, 0))
        for a, b in pairs:
            state = apply_cz(state, a, b) if spec["entangler"] == "cz-ring" else apply_cnot(state, a, b)
    probs = state.real ** 2 + state.imag ** 2
    outs = []
    for q in range(q_count):
        p = probs.movedim(q + 1, 1).reshape(batch, 2, -1).sum(-1)
        outs.append(p[:, 0] - p[:, 1])
    return torch.stack(outs, 1)


def oracle(job):
    spec = job["spec"]
    q = spec["qubits"]
    inputs = torch.tensor(job["inputs"]).reshape(-1, q).requires_grad_(True)
    params = torch.tensor(job["params"]).requires_grad_(True)
    out = circuit(spec, inputs, params)
    (out * torch.tensor(job["gradOutput"]).reshape(-1, q)).sum().backward()
    return {"expectations": out.detach().reshape(-1).tolist(), "gradInputs": inputs.grad.reshape(-1).tolist(),
            "gradParams": params.grad.tolist()}


def bench(job):
    torch.set_num_threads(job.get("threads", 2))
    spec, batch = job["spec"], job["batch"]
    gen = torch.Generator().manual_seed(0)
    angles = 3 if spec["rotation"] == "Rot" else 1
    inputs = torch.rand(batch, spec["qubits"], generator=gen) * math.pi
    params = torch.rand(spec["layers"] * spec["qubits"] * angles, generator=gen)
    cap = job.get("capSeconds", 60)
    started = time.perf_counter()
    result = {"forward": [], "backward": []}
    for _ in range(job["repeats"]):
        if time.perf_counter() - started > cap:
            break
        t0 = time.perf_counter()
        with torch.no_grad():
            circuit(spec, inputs, params)
        result["forward"].append(batch / (time.perf_counter() - t0))
        u = inputs.clone().requires_grad_(True)
        p = params.clone().requires_grad_(True)
        t0 = time.perf_counter()
        circuit(spec, u, p).sum().backward()
        result["backward"].append(batch / (time.perf_counter() - t0))
    return result


if __name__ == "__main__":
    job = json.load(sys.stdin)
    if sys.argv[1] == "oracle":
        print(json.dumps([oracle(j) for j in job] if isinstance(job, list) else oracle(job)))
    else:
        print(json.dumps(bench(job)))
