"""PyTorch reference trajectories for nnlang's optimizer kernels (org.nnlang.runtime.optim).

Each case starts from one fixed parameter vector, feeds the optimizer a fixed sequence of 5 gradients
(the gradients do not depend on the parameters, so the Java test can replay them) and records the
parameters after every step. The Java tests (AdamTest, SgdTest) read the JSON and never run Python.

Regenerate (Debian's PyTorch 1.13; the python3 first on PATH may lack torch):

    /usr/bin/python3 scripts/reference/optimizers.py

It writes runtime/src/test/resources/fixtures/optimizers.json. Values are float32 numbers written as
exact decimal doubles, so Java's (float) cast recovers them bit for bit.
"""
import json
import pathlib
import re

import torch

SIZE = 10
STEPS = 5
OUT = pathlib.Path(__file__).resolve().parents[2] / "runtime/src/test/resources/fixtures/optimizers.json"

# (name, optimizer class, hyperparameters). foreach=False pins the single-tensor code path the Java port follows.
CASES = [
    ("adam", "adam", dict(lr=0.01, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)),
    ("adam_l2_weight_decay", "adam", dict(lr=0.01, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.1)),
    ("adam_other_betas", "adam", dict(lr=0.05, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.0)),
    ("adamw", "adamw", dict(lr=0.01, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.1)),
    ("sgd", "sgd", dict(lr=0.1, momentum=0.0, dampening=0.0, nesterov=False, weight_decay=0.0)),
    ("sgd_weight_decay", "sgd", dict(lr=0.1, momentum=0.0, dampening=0.0, nesterov=False, weight_decay=0.05)),
    ("sgd_momentum", "sgd", dict(lr=0.1, momentum=0.9, dampening=0.0, nesterov=False, weight_decay=0.0)),
    ("sgd_momentum_dampening", "sgd", dict(lr=0.1, momentum=0.9, dampening=0.3, nesterov=False, weight_decay=0.0)),
    ("sgd_nesterov", "sgd", dict(lr=0.1, momentum=0.9, dampening=0.0, nesterov=True, weight_decay=0.0)),
    ("sgd_nesterov_weight_decay", "sgd", dict(lr=0.05, momentum=0.8, dampening=0.0, nesterov=True, weight_decay=0.01)),
]


def run_case(index, name, kind, hyper):
    torch.manual_seed(1000 + index)
    initial = torch.randn(SIZE, dtype=torch.float32)
    grads = [torch.randn(SIZE, dtype=torch.float32) * 0.5 for _ in range(STEPS)]
    param = torch.nn.Parameter(initial.clone())
    if kind == "adam":
        opt = torch.optim.Adam([param], foreach=False, **hyper)
    elif kind == "adamw":
        opt = torch.optim.AdamW([param], foreach=False, **hyper)
    else:
        opt = torch.optim.SGD([param], foreach=False, **hyper)
    params = []
    for g in grads:
        param.grad = g.clone()
        opt.step()
        params.append(param.detach().clone().tolist())
    flat = dict(hyper)
    if "betas" in flat:
        flat["beta1"], flat["beta2"] = flat.pop("betas")
    return {
        "name": name,
        "optimizer": kind,
        "hyper": flat,
        "initial": initial.tolist(),
        "grads": [g.tolist() for g in grads],
        "params": params,
    }


def dumps(doc):
    """Indented JSON with each list of numbers on one line, so a diff of a regenerated fixture stays readable."""
    text = json.dumps(doc, indent=1)
    return re.sub(r"\[[^\[\]{}\"]*\]", lambda m: json.dumps(json.loads(m.group(0))), text) + "\n"


def main():
    cases = [run_case(i, name, kind, hyper) for i, (name, kind, hyper) in enumerate(CASES)]
    doc = {
        "generator": "scripts/reference/optimizers.py",
        "torch_version": torch.__version__,
        "cases": cases,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(dumps(doc))
    print(f"wrote {OUT} ({len(cases)} cases)")


if __name__ == "__main__":
    main()
