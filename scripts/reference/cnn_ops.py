"""PyTorch reference values for nnlang's convolutional-network kernels (org.nnlang.runtime.kernels: Conv2d,
Pooling, BatchNorm, Dropout, Activations' sigmoid/tanh/gelu/softmax, Concat).

For each op and several attribute combinations (odd sizes, stride 2, padding, dilation 2, groups 2, depthwise,
no bias, non-square windows, ties in max pooling, ...) it records the float32 inputs, the forward output, a
random upstream gradient `dy`, and the gradients autograd computes for every input, weight and bias. Tensors are
flattened row-major (NCHW). The Java tests (Conv2dTest, PoolingTest, ...) read the JSON and never run Python.

Dropout's mask comes from nnlang's own Rng, so its cases only pin down p = 0 (identity), p = 1 (zeros) and the
1/(1-p) scaling of the kept elements.

Regenerate (Debian's PyTorch 1.13; the python3 first on PATH may lack torch):

    /usr/bin/python3 scripts/reference/cnn_ops.py

It writes runtime/src/test/resources/fixtures/cnn_ops.json.
"""
import json
import pathlib
import re

import torch
import torch.nn.functional as F

OUT = pathlib.Path(__file__).resolve().parents[2] / "runtime/src/test/resources/fixtures/cnn_ops.json"


def flat(t):
    return t.detach().flatten().tolist()


def pair(v):
    return list(v) if isinstance(v, (tuple, list)) else [v, v]


def conv_case(name, seed, n, c_in, h, w, c_out, kernel, stride=1, padding=0, dilation=1, groups=1, bias=True):
    torch.manual_seed(seed)
    kh, kw = pair(kernel)
    x = torch.randn(n, c_in, h, w, requires_grad=True)
    weight = torch.randn(c_out, c_in // groups, kh, kw, requires_grad=True)
    b = torch.randn(c_out, requires_grad=True) if bias else None
    y = F.conv2d(x, weight, b, stride=stride, padding=padding, dilation=dilation, groups=groups)
    dy = torch.randn_like(y)
    y.backward(dy)
    case = {
        "name": name, "n": n, "in_channels": c_in, "in_height": h, "in_width": w, "out_channels": c_out,
        "kernel": [kh, kw], "stride": pair(stride), "padding": pair(padding), "dilation": pair(dilation),
        "groups": groups, "out_height": y.shape[2], "out_width": y.shape[3],
        "x": flat(x), "w": flat(weight), "b": flat(b) if bias else None,
        "y": flat(y), "dy": flat(dy), "dx": flat(x.grad), "dw": flat(weight.grad),
        "db": flat(b.grad) if bias else None,
    }
    return case


def pool_input(seed, n, c, h, w, ties):
    torch.manual_seed(seed)
    if ties:
        # Small integers: many windows hold several equal maxima, where PyTorch picks the first.
        return torch.randint(0, 3, (n, c, h, w)).float().requires_grad_()
    return torch.randn(n, c, h, w, requires_grad=True)


def max_pool_case(name, seed, n, c, h, w, kernel, stride, padding, ties=False):
    x = pool_input(seed, n, c, h, w, ties)
    y, indices = F.max_pool2d(x, kernel, stride, padding, return_indices=True)
    dy = torch.randn_like(y)
    y.backward(dy)
    return {
        "name": name, "n": n, "channels": c, "in_height": h, "in_width": w, "kernel": pair(kernel),
        "stride": pair(stride), "padding": pair(padding), "out_height": y.shape[2], "out_width": y.shape[3],
        "x": flat(x), "y": flat(y), "indices": indices.flatten().tolist(), "dy": flat(dy), "dx": flat(x.grad),
    }


def avg_pool_case(name, seed, n, c, h, w, kernel, stride, padding):
    x = pool_input(seed, n, c, h, w, False)
    # PyTorch's defaults, which nnlang implements: count_include_pad=True, ceil_mode=False.
    y = F.avg_pool2d(x, kernel, stride, padding)
    dy = torch.randn_like(y)
    y.backward(dy)
    return {
        "name": name, "n": n, "channels": c, "in_height": h, "in_width": w, "kernel": pair(kernel),
        "stride": pair(stride), "padding": pair(padding), "out_height": y.shape[2], "out_width": y.shape[3],
        "x": flat(x), "y": flat(y), "dy": flat(dy), "dx": flat(x.grad),
    }


def global_avg_pool_case(name, seed, n, c, h, w):
    x = pool_input(seed, n, c, h, w, False)
    y = F.adaptive_avg_pool2d(x, 1).flatten(1)
    dy = torch.randn_like(y)
    y.backward(dy)
    return {"name": name, "n": n, "channels": c, "in_height": h, "in_width": w,
            "x": flat(x), "y": flat(y), "dy": flat(dy), "dx": flat(x.grad)}


def batch_norm_case(name, seed, shape, training, affine=True, momentum=0.1, eps=1e-5):
    torch.manual_seed(seed)
    c = shape[1]
    module = (torch.nn.BatchNorm2d if len(shape) == 4 else torch.nn.BatchNorm1d)(
        c, eps=eps, momentum=momentum, affine=affine)
    with torch.no_grad():
        module.running_mean.copy_(torch.randn(c) * 0.5)
        module.running_var.copy_(torch.rand(c) + 0.5)
        if affine:
            module.weight.copy_(torch.randn(c))
            module.bias.copy_(torch.randn(c))
    # A shifted, scaled input, so the batch statistics are far from 0 and 1.
    x = (torch.randn(*shape) * 1.7 + 0.6).requires_grad_()
    running_mean_before = flat(module.running_mean)
    running_var_before = flat(module.running_var)
    module.train(training)
    y = module(x)
    dy = torch.randn_like(y)
    y.backward(dy)
    dims = [0] + list(range(2, len(shape)))
    spatial = 1
    for d in shape[2:]:
        spatial *= d
    case = {
        "name": name, "training": training, "n": shape[0], "channels": c, "spatial": spatial,
        "eps": eps, "momentum": momentum,
        "x": flat(x), "gamma": flat(module.weight) if affine else None, "beta": flat(module.bias) if affine else None,
        "running_mean_before": running_mean_before, "running_var_before": running_var_before,
        "running_mean_after": flat(module.running_mean), "running_var_after": flat(module.running_var),
        "y": flat(y), "dy": flat(dy), "dx": flat(x.grad),
        "dgamma": flat(module.weight.grad) if affine else None, "dbeta": flat(module.bias.grad) if affine else None,
    }
    if training:
        # What nnlang saves for the backward: the batch mean and 1/sqrt(biased variance + eps).
        mean = x.detach().mean(dim=dims)
        var = x.detach().var(dim=dims, unbiased=False)
        case["saved_mean"] = mean.tolist()
        case["saved_inv_std"] = (1 / torch.sqrt(var + eps)).tolist()
    return case


def dropout_case(name, seed, p, size):
    torch.manual_seed(seed)
    x = torch.randn(size, requires_grad=True)
    y = F.dropout(x, p, training=True)
    dy = torch.randn_like(y)
    y.backward(dy)
    return {"name": name, "p": p, "x": flat(x), "y": flat(y), "dy": flat(dy), "dx": flat(x.grad)}


def activation_case(name, seed, fn, x, in_float64=False):
    """x, y = fn(x), a random dy and dx. With in_float64 the float32 x and dy go through fn in float64 and the
    results are rounded to float32 once: the correctly rounded values."""
    torch.manual_seed(seed)
    x = x.clone().requires_grad_()
    dtype = torch.float64 if in_float64 else torch.float32
    x_compute = x.detach().to(dtype).requires_grad_()
    y = fn(x_compute)
    dy = torch.randn(y.shape)
    y.backward(dy.to(dtype))
    return {"name": name, "shape": list(x.shape), "x": flat(x), "y": flat(y.float()), "dy": flat(dy),
            "dx": flat(x_compute.grad.float())}


def activation_cases():
    torch.manual_seed(11)
    # Gaussian values plus the tails and the exact points where approximations tend to break.
    x = torch.cat([torch.randn(24) * 2, torch.tensor([-9.0, -6.5, -5.0, -3.0, -1e-3, 0.0, 1e-3, 0.5, 3.0, 5.0,
                                                       6.5, 9.0])])
    rows = torch.randn(4, 5) * 3
    # One row of huge logits: without the max shift exp() would overflow float32.
    rows = torch.cat([rows, torch.tensor([[100.0, -50.0, 99.0, 0.0, 100.0]])])
    return [
        activation_case("sigmoid", 12, torch.sigmoid, x),
        activation_case("tanh", 13, torch.tanh, x),
        # PyTorch's float32 GELU evaluates 1 + erf(x/sqrt 2), which cancels for x << 0 (4% off at x = -5, and 0
        # instead of -2.6e-10 at x = -6.5); nnlang uses erfc and stays accurate there, so its reference is
        # PyTorch's float64 GELU rounded to float32.
        activation_case("gelu", 14, F.gelu, x, in_float64=True),
        activation_case("softmax", 15, lambda t: torch.softmax(t, dim=-1), rows),
    ]


def concat_case(name, seed, shapes, dim):
    torch.manual_seed(seed)
    parts = [torch.randn(*s, requires_grad=True) for s in shapes]
    y = torch.cat(parts, dim=dim)
    dy = torch.randn_like(y)
    y.backward(dy)
    return {"name": name, "dim": dim, "shapes": [list(s) for s in shapes], "parts": [flat(p) for p in parts],
            "y": flat(y), "dy": flat(dy), "dparts": [flat(p.grad) for p in parts]}


def dumps(doc):
    """Indented JSON with each list of numbers on one line, so a diff of a regenerated fixture stays readable."""
    text = json.dumps(doc, indent=1)
    return re.sub(r"\[[^\[\]{}\"]*\]", lambda m: json.dumps(json.loads(m.group(0))), text) + "\n"


def main():
    doc = {
        "generator": "scripts/reference/cnn_ops.py",
        "torch_version": torch.__version__,
        "conv2d": [
            conv_case("3x3 odd sizes", 1, 2, 3, 5, 6, 4, 3),
            conv_case("stride 2 padding 1", 2, 2, 3, 7, 7, 2, 3, stride=2, padding=1),
            conv_case("dilation 2 padding 2, 3x2 kernel", 3, 2, 2, 7, 6, 3, (3, 2), padding=2, dilation=2),
            conv_case("groups 2", 4, 2, 4, 6, 5, 6, 3, padding=1, groups=2),
            conv_case("depthwise multiplier 2", 5, 2, 3, 5, 5, 6, 3, padding=1, groups=3),
            conv_case("depthwise stride 2 no bias", 6, 2, 4, 7, 6, 4, 3, stride=2, padding=1, groups=4, bias=False),
            conv_case("no bias, non-square stride and padding", 7, 2, 2, 5, 7, 3, (2, 3), stride=(1, 2),
                      padding=(1, 0), bias=False),
            conv_case("1x1", 8, 2, 4, 3, 4, 3, 1),
            conv_case("stride larger than kernel", 9, 2, 2, 7, 7, 2, 2, stride=3, padding=1),
            conv_case("padding larger than kernel reach", 10, 2, 2, 3, 3, 2, 2, padding=2, dilation=2, groups=2),
        ],
        "max_pool2d": [
            max_pool_case("2x2 stride 2", 21, 2, 3, 6, 6, 2, 2, 0),
            max_pool_case("3x3 stride 2 padding 1, odd", 22, 2, 2, 7, 6, 3, 2, 1),
            max_pool_case("3x3 stride 1 padding 1 (overlapping)", 23, 2, 2, 5, 5, 3, 1, 1),
            max_pool_case("2x3 stride (2,1) padding (1,1)", 24, 2, 2, 5, 6, (2, 3), (2, 1), (1, 1)),
            max_pool_case("ties, overlapping", 25, 2, 2, 5, 5, 3, 1, 1, ties=True),
            max_pool_case("ties, 2x2", 26, 2, 2, 6, 5, 2, 2, 0, ties=True),
        ],
        "avg_pool2d": [
            avg_pool_case("2x2 stride 2", 31, 2, 3, 6, 6, 2, 2, 0),
            avg_pool_case("3x3 stride 2 padding 1, odd", 32, 2, 2, 7, 6, 3, 2, 1),
            avg_pool_case("3x3 stride 1 padding 1 (overlapping)", 33, 2, 2, 5, 5, 3, 1, 1),
            avg_pool_case("2x3 stride (2,1) padding (1,1)", 34, 2, 2, 5, 6, (2, 3), (2, 1), (1, 1)),
        ],
        "global_avg_pool": [
            global_avg_pool_case("5x7", 41, 2, 3, 5, 7),
            global_avg_pool_case("1x1", 42, 3, 2, 1, 1),
        ],
        "batch_norm": [
            batch_norm_case("2d training", 51, (2, 3, 4, 5), True),
            batch_norm_case("2d training momentum 0.3", 52, (3, 4, 3, 3), True, momentum=0.3),
            batch_norm_case("2d training without affine", 53, (2, 2, 3, 4), True, affine=False),
            batch_norm_case("1d training", 54, (6, 4), True),
            batch_norm_case("2d eval", 55, (2, 3, 4, 5), False),
            batch_norm_case("1d eval eps 1e-3", 56, (5, 3), False, eps=1e-3),
        ],
        "dropout": [
            dropout_case("p = 0", 61, 0.0, 40),
            dropout_case("p = 0.3", 62, 0.3, 200),
            dropout_case("p = 1", 63, 1.0, 40),
        ],
        "activations": activation_cases(),
        "concat": [
            concat_case("2 inputs, channels", 71, [(2, 2, 3, 3), (2, 3, 3, 3)], 1),
            concat_case("3 inputs, features", 72, [(2, 4), (2, 1), (2, 3)], 1),
            concat_case("2 inputs, rows (axis 1 of a sample)", 73, [(2, 2, 3, 4), (2, 2, 1, 4)], 2),
        ],
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(dumps(doc))
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
