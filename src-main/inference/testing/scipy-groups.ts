// The grouping oracle for lesion candidates across a cine run: scipy's connected components of the graph linking
// boxes on neighbouring frames whose intersection over union reaches the limit, built by python from the boxes alone.
import { runPython } from '../../testing/python-oracle.ts';
import { GROUP_OVERLAP, type FrameBoxed } from '../scanning/lesion-groups.ts';

/** Index lists of the boxes in each group. */
export function scipyGroups(boxes: FrameBoxed[]): number[][] {
  return runPython<number[][]>(
    `
import json, sys
import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components
data = json.load(sys.stdin)
boxes, limit = data["boxes"], data["limit"]
n = len(boxes)
adj = np.zeros((n, n))
for i, a in enumerate(boxes):
    for j, b in enumerate(boxes):
        if abs(a["frame"] - b["frame"]) != 1:
            continue
        w = max(0, min(a["x"] + a["width"], b["x"] + b["width"]) - max(a["x"], b["x"]))
        h = max(0, min(a["y"] + a["height"], b["y"] + b["height"]) - max(a["y"], b["y"]))
        union = a["width"] * a["height"] + b["width"] * b["height"] - w * h
        if w * h / union >= limit:
            adj[i, j] = 1
count, labels = connected_components(csr_matrix(adj), directed=False)
print(json.dumps([sorted(int(i) for i in np.flatnonzero(labels == k)) for k in range(count)]))
`,
    { boxes, limit: GROUP_OVERLAP },
  );
}

