# NT-Xent and quantum-layer references: recomputes the engine's probes with PyTorch autograd (float64 statevector
# for the circuit) from the same inputs; prints losses, outputs and gradients as JSON lists.
import json
import sys

import torch

job = json.load(sys.stdin)
sys.path.insert(0, job['referenceDir'])  # the folder of engine_networks.py
from engine_networks import nt_xent, quantum_expectations  # noqa: E402
out = {}
nt = job['ntXent']
z1 = torch.tensor(nt['z1'], dtype=torch.float32).reshape(nt['n'], nt['d']).requires_grad_()
z2 = torch.tensor(nt['z2'], dtype=torch.float32).reshape(nt['n'], nt['d']).requires_grad_()
loss = nt_xent(z1, z2, nt['temperature'])
loss.backward()
out['ntXent'] = {'loss': loss.item(), 'gradZ1': z1.grad.flatten().tolist(), 'gradZ2': z2.grad.flatten().tolist()}

q = job['quantum']
u = torch.tensor(q['angles'], dtype=torch.float64).reshape(-1, q['qubits']).requires_grad_()
theta = torch.tensor(q['weights'], dtype=torch.float64).requires_grad_()
expectations = quantum_expectations(u, theta, q['qubits'], q['layers'], q['rotation'], q['entangler'], q['reupload'])
expectations.backward(torch.tensor(q['gradOut'], dtype=torch.float64).reshape(expectations.shape))
out['quantum'] = {'expectations': expectations.detach().flatten().tolist(), 'gradAngles': u.grad.flatten().tolist(),
                  'gradWeights': theta.grad.flatten().tolist()}
json.dump(out, sys.stdout)
