"""Reference values for nnlang's end-to-end CNN test: a small network using every convolutional op, trained for a
few steps in PyTorch, then evaluated.

The network (its .nn twin is in CnnTrainingAgainstPyTorchTest) has two branches from the input — conv → batchnorm
→ gelu → max-pool, and a strided, dilated conv → tanh — joined by concat, then a depthwise conv with padding = same
and multiplier 2, a grouped 1×1 conv → sigmoid, avg-pool, global average pool, and linear → softmax → linear.
The fixture records the initial parameters in creation order (the order nnlang creates them too), the batches, every
step's loss, the parameters and batchnorm running statistics after the last step, and the evaluation-mode output on
a fresh batch (which checks the inference graph: running statistics, no dropout).

Regenerate with Debian's PyTorch:  /usr/bin/python3 scripts/reference/cnn_training.py
It writes compiler/src/test/resources/fixtures/cnn_training.json.
"""
import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "compiler", "src", "test", "resources", "fixtures",
                   "cnn_training.json")
BATCHES = [4, 4, 3]


class Twin(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(2, 4, 3, padding=1, bias=False)  # a bias before batchnorm has a zero gradient
        self.bn = nn.BatchNorm2d(4)
        self.c2 = nn.Conv2d(2, 4, 3, stride=2, padding=2, dilation=2)
        self.dw = nn.Conv2d(8, 16, 3, padding=1, groups=8)
        self.pw = nn.Conv2d(16, 8, 1, groups=2)
        self.fc1 = nn.Linear(8, 6)
        self.fc2 = nn.Linear(6, 3)

    def forward(self, x):
        a = F.max_pool2d(F.gelu(self.bn(self.c1(x))), 3, stride=2, padding=1)
        b = torch.tanh(self.c2(x))
        h = torch.sigmoid(self.pw(self.dw(torch.cat([a, b], 1))))
        h = F.avg_pool2d(h, 2, stride=1).mean((2, 3))
        return self.fc2(torch.softmax(self.fc1(h), -1))


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def main():
    torch.manual_seed(0)
    model = Twin()
    initial = [flat(p) for p in model.parameters()]
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    steps = []
    for n in BATCHES:
        x = torch.randn(n, 2, 9, 9)
        y = torch.randint(0, 3, (n,))
        loss = F.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        steps.append({"inputs": flat(x), "labels": [int(v) for v in y], "loss": float(loss)})
    model.eval()
    x = torch.randn(4, 2, 9, 9)
    with torch.no_grad():
        out = model(x)
    fixture = {"torch": torch.__version__, "initial": initial, "steps": steps,
               "final": [flat(p) for p in model.parameters()],
               "running_mean": flat(model.bn.running_mean), "running_var": flat(model.bn.running_var),
               "eval": {"inputs": flat(x), "outputs": flat(out)}}
    with open(OUT, "w") as f:
        json.dump(fixture, f, indent=1)
    print("wrote", os.path.normpath(OUT))


if __name__ == "__main__":
    main()
