# PyTorch-eager peer for the inference bench: the same classifier (src-main/testing/torch-reference/engine_networks.py,
# weights from the same files) scoring the same batch, encoder → quantum statevector → head, on N threads.
# stdin JSON: {referenceDir, weightsDir, inputPath, circuit, batch, imageSize, repeats, threads}; stdout JSON.
import json, sys, time

request = json.load(sys.stdin)
sys.path.insert(0, request['referenceDir'])
import numpy as np
import torch
from engine_networks import Network, load_weights

torch.set_num_threads(request['threads'])
network = load_weights(Network(request['circuit']), request['weightsDir'])
S, batch = request['imageSize'], request['batch']
x = torch.from_numpy(np.fromfile(request['inputPath'], dtype=np.float32).reshape(batch, 1, S, S))

with torch.no_grad():
    probabilities = network(x)  # warm-up
    seconds = []
    for _ in range(request['repeats']):
        start = time.perf_counter()
        network(x)
        seconds.append(time.perf_counter() - start)
json.dump({'seconds': seconds, 'probabilities': probabilities[:, 1].tolist(), 'torch': torch.__version__}, sys.stdout)
