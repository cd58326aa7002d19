"""PyTorch reference values for nnlang's loss kernels (org.nnlang.runtime.kernels.Losses).

Cross-entropy (torch.nn.functional.cross_entropy, reduction='mean') and MSE (mse_loss, reduction='mean'):
inputs, the float32 loss and the gradient of the loss with respect to the first input, from autograd.
Also argmax-based accuracy counts, including rows with tied maxima (torch.argmax picks the first).
The Java test (LossesTest) reads the JSON and never runs Python.

Regenerate (Debian's PyTorch 1.13; the python3 first on PATH may lack torch):

    /usr/bin/python3 scripts/reference/losses.py

It writes runtime/src/test/resources/fixtures/losses.json.
"""
import json
import pathlib
import re

import torch
import torch.nn.functional as F

OUT = pathlib.Path(__file__).resolve().parents[2] / "runtime/src/test/resources/fixtures/losses.json"


def cross_entropy_case(seed, n, classes, scale):
    torch.manual_seed(seed)
    logits = (torch.randn(n, classes) * scale).requires_grad_()
    labels = torch.randint(0, classes, (n,))
    loss = F.cross_entropy(logits, labels)
    loss.backward()
    return {
        "n": n,
        "classes": classes,
        "logits": logits.detach().flatten().tolist(),
        "labels": labels.tolist(),
        "loss": loss.item(),
        "grad": logits.grad.flatten().tolist(),
    }


def mse_case(seed, shape):
    torch.manual_seed(seed)
    pred = torch.randn(*shape).requires_grad_()
    target = torch.randn(*shape)
    loss = F.mse_loss(pred, target)
    loss.backward()
    return {
        "count": pred.numel(),
        "pred": pred.detach().flatten().tolist(),
        "target": target.flatten().tolist(),
        "loss": loss.item(),
        "grad": pred.grad.flatten().tolist(),
    }


def argmax_case():
    # Rows 1 and 3 hold ties: torch.argmax returns the first maximal index.
    logits = torch.tensor([[0.1, 2.0, -1.0, 0.5],
                           [3.0, 1.0, 3.0, 0.0],
                           [-2.0, -1.0, -3.0, -1.5],
                           [0.0, 0.0, 0.0, 0.0],
                           [1.0, 4.0, 4.5, 2.0]])
    labels = torch.tensor([1, 2, 1, 0, 1])
    argmax = torch.argmax(logits, dim=1)
    return {
        "n": logits.shape[0],
        "classes": logits.shape[1],
        "logits": logits.flatten().tolist(),
        "labels": labels.tolist(),
        "argmax": argmax.tolist(),
        "correct": int((argmax == labels).sum().item()),
    }


def dumps(doc):
    """Indented JSON with each list of numbers on one line, so a diff of a regenerated fixture stays readable."""
    text = json.dumps(doc, indent=1)
    return re.sub(r"\[[^\[\]{}\"]*\]", lambda m: json.dumps(json.loads(m.group(0))), text) + "\n"


def main():
    doc = {
        "generator": "scripts/reference/losses.py",
        "torch_version": torch.__version__,
        "cross_entropy": [cross_entropy_case(1, 6, 5, 2.0),
                          # Large logits: a naive exp() would overflow float32; the stable form must not.
                          cross_entropy_case(2, 4, 7, 60.0)],
        "mse": [mse_case(3, (4, 3)), mse_case(4, (7,))],
        "argmax": argmax_case(),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(dumps(doc))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
