"""Reference learning rates for nnlang's schedules, from PyTorch's own schedulers.

Each case runs a PyTorch scheduler over a small run (3 epochs of 4 steps) and records the learning rate the optimizer
used at every step: StepLR stepped per epoch, CosineAnnealingLR(T_max = all steps) stepped per batch, and a linear
warm-up times cosine, written as one LambdaLR(lambda t: min(1, (t + 1) / W) · (1 + cos(π t / T)) / 2) — PyTorch's
ChainedScheduler would not multiply them, because LambdaLR sets the rate outright.

Regenerate with Debian's PyTorch:  /usr/bin/python3 scripts/reference/schedules.py
It writes runtime/src/test/resources/fixtures/schedules.json.
"""
import json
import math
import os

import torch

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "runtime", "src", "test", "resources", "fixtures",
                   "schedules.json")
EPOCHS, STEPS = 3, 4
BASE = 0.1


def run(make, per_epoch):
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=BASE)
    scheduler = make(opt)
    rates = []
    for epoch in range(EPOCHS):
        for _ in range(STEPS):
            rates.append(opt.param_groups[0]["lr"])
            opt.step()
            if not per_epoch:
                scheduler.step()
        if per_epoch:
            scheduler.step()
    return rates


def main():
    total = EPOCHS * STEPS
    cases = {
        "step_every_2_gamma_0.5": run(lambda o: torch.optim.lr_scheduler.StepLR(o, 2, gamma=0.5), True),
        "cosine_min_0.01": run(lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, total, eta_min=0.01), False),
        "cosine_warmup_3": run(lambda o: torch.optim.lr_scheduler.LambdaLR(
            o, lambda t: min(1.0, (t + 1) / 3) * (1 + math.cos(math.pi * t / total)) / 2), False),
    }
    with open(OUT, "w") as f:
        json.dump({"torch": torch.__version__, "base": BASE, "epochs": EPOCHS, "steps_per_epoch": STEPS,
                   "cases": cases}, f, indent=1)
    print("wrote", os.path.normpath(OUT))


if __name__ == "__main__":
    main()
