"""Reference values for nnlang's end-to-end training test: a small MLP trained for a few steps in PyTorch.

The network is the seed MLP's shape at toy size, flatten -> Linear(12, 7) -> ReLU -> Linear(7, 4), on random
[N, 1, 3, 4] inputs, with cross-entropy or MSE (against one-hot labels) and with Adam, AdamW or SGD with momentum.
One case clips the global gradient norm (clip_grad_norm_) before the step.
For each case the fixture records the initial weights (which the Java test loads into its buffers), the batches,
the loss of every step, and the weights after the last step.

Regenerate with Debian's PyTorch:  /usr/bin/python3 scripts/reference/mlp_training.py
It writes compiler/src/test/resources/fixtures/mlp_training.json.
"""
import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "compiler", "src", "test", "resources", "fixtures",
                   "mlp_training.json")
# name, loss, the .nn optimizer, its PyTorch twin, max gradient norm (None = no clipping)
CASES = [
    ("adam", "cross_entropy", "adam(lr = 0.01)", lambda p: torch.optim.Adam(p, lr=0.01), None),
    ("adamw", "cross_entropy", "adamw(lr = 0.01, weight_decay = 0.1)",
     lambda p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.1), None),
    ("sgd_nesterov", "mse", "sgd(lr = 0.1, momentum = 0.9, nesterov = true, weight_decay = 0.01)",
     lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01), None),
    ("sgd_clipped", "cross_entropy", "sgd(lr = 0.5, momentum = 0.9)",
     lambda p: torch.optim.SGD(p, lr=0.5, momentum=0.9), 0.05),
]
STEPS = 4
BATCHES = [5, 5, 5, 3]  # the last batch is partial, as an epoch's last batch often is


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def case(name, loss_name, optimizer_text, make_optimizer, clip, seed):
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Flatten(), nn.Linear(12, 7), nn.ReLU(), nn.Linear(7, 4))
    initial = {k: flat(v) for k, v in model.state_dict().items()}
    opt = make_optimizer(model.parameters())
    steps = []
    for n in BATCHES[:STEPS]:
        x = torch.randn(n, 1, 3, 4)
        y = torch.randint(0, 4, (n,))
        out = model(x)
        if loss_name == "cross_entropy":
            loss = F.cross_entropy(out, y)
        else:
            loss = F.mse_loss(out, F.one_hot(y, 4).float())
        opt.zero_grad()
        loss.backward()
        norm = None
        if clip is not None:
            norm = float(torch.nn.utils.clip_grad_norm_(model.parameters(), clip))
            assert norm > clip, "the case must actually clip"
        opt.step()
        steps.append({"inputs": flat(x), "labels": [int(v) for v in y], "loss": float(loss), "grad_norm": norm})
    final = {k: flat(v) for k, v in model.state_dict().items()}
    return {"name": name, "loss": loss_name, "optimizer": optimizer_text,
            "settings": "" if clip is None else f"clip_grad_norm = {clip}", "initial": initial, "steps": steps,
            "final": final}


def main():
    cases = [case(name, loss, text, make, clip, seed) for seed, (name, loss, text, make, clip) in enumerate(CASES)]
    with open(OUT, "w") as f:
        json.dump({"torch": torch.__version__, "cases": cases}, f, indent=1)
    print("wrote", os.path.normpath(OUT))


if __name__ == "__main__":
    main()
