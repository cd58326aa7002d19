"""Fixtures for nnlang's safetensors checkpoints, and the check that PyTorch reads what nnlang writes.

The round trip, both ways:

1. PyTorch -> nnlang. This script builds TinyNet's PyTorch twin (below; its .nn text is in the comment), gives it
   non-trivial weights and batchnorm running statistics, and writes its state_dict, renamed to nnlang's names
   (``0.weight`` -> ``linear1.weight``, ...; ``num_batches_tracked`` dropped: nnlang has no such buffer), to
       runtime/src/test/resources/fixtures/torch-written.safetensors
   with a ``__metadata__``, plus torch-written.json holding every expected value, a few input samples and the
   evaluation-mode logits PyTorch computes for them. nnlang's tests read the file (SafetensorsTest: values, and
   that nnlang's writer reproduces it byte for byte) and load it into the compiled TinyNet (EvalCommandTest: the
   logits nnlang computes equal PyTorch's).

2. nnlang -> PyTorch. SafetensorsTest writes a checkpoint of a TinyNet-shaped plan, with optimizer state, whose
   values follow value(k, i) = ((37 * i + 11 * k) % 101 - 50) / 64 for element i of the k-th tensor in plan order
   (exact in float32), to
       runtime/src/test/resources/fixtures/nnlang-written.safetensors
   only when asked:  mvn -q -o test -pl runtime -Dtest=SafetensorsTest -Dsafetensors.update=true
   This script then reads it back with the reader below, checks the layout, metadata, names, shapes and every
   value, and loads the weights into the PyTorch twin with load_state_dict, as docs/checkpoints.md shows.

Debian has no ``safetensors`` package, so the format is implemented here from its specification
(https://github.com/huggingface/safetensors#format), laid out as the reference writer does: tensors in name order,
compact JSON header with ``__metadata__`` first, padded with spaces to a multiple of 8 bytes.

Run with Debian's PyTorch:  /usr/bin/python3 scripts/reference/safetensors_fixtures.py
It rewrites the torch-written files (deterministic: seed 0) and verifies nnlang-written.safetensors if present.
"""
import json
import os
import struct
import sys

import torch
import torch.nn as nn

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "runtime", "src", "test", "resources",
                        "fixtures")
TORCH_WRITTEN = os.path.join(FIXTURES, "torch-written.safetensors")
TORCH_JSON = os.path.join(FIXTURES, "torch-written.json")
NNLANG_WRITTEN = os.path.join(FIXTURES, "nnlang-written.safetensors")

# model TinyNet {
#     input x: [1, 4, 4]
#     flatten
#     linear(8)
#     batchnorm
#     relu
#     linear(3)
# }
RENAME = {"1.weight": "linear1.weight", "1.bias": "linear1.bias",
          "2.weight": "batchnorm1.weight", "2.bias": "batchnorm1.bias",
          "2.running_mean": "batchnorm1.running_mean", "2.running_var": "batchnorm1.running_var",
          "4.weight": "linear2.weight", "4.bias": "linear2.bias"}


def tiny_net():
    return nn.Sequential(nn.Flatten(), nn.Linear(16, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 3))


def save_file(tensors, path, metadata=None):
    """The safetensors writer: F32 only, tensors in name order, header padded with spaces to a multiple of 8."""
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = dict(sorted(metadata.items()))
    for name in sorted(tensors, key=lambda n: n.encode("utf-8")):
        t = tensors[name].detach().to(torch.float32).contiguous()
        blob = struct.pack("<%df" % t.numel(), *t.reshape(-1).tolist())
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def load_file(path):
    """The safetensors reader (F32 only), checking the layout rules of the specification; returns (metadata, dict)."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    assert 8 + n <= len(data), "header length %d larger than the file" % n
    assert (8 + n) % 8 == 0, "header not padded to a multiple of 8 bytes"
    header = json.loads(data[8:8 + n].decode("utf-8"))
    metadata = header.pop("__metadata__", {})
    buffer = data[8 + n:]
    tensors, covered = {}, 0
    for name, info in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"]):
        begin, end = info["data_offsets"]
        assert info["dtype"] == "F32", name
        assert begin == covered, "gap or overlap at %s" % name
        count = 1
        for d in info["shape"]:
            count *= d
        assert end - begin == 4 * count, name
        values = struct.unpack("<%df" % count, buffer[begin:end])
        tensors[name] = torch.tensor(values, dtype=torch.float32).reshape(info["shape"])
        covered = end
    assert covered == len(buffer), "bytes after the last tensor"
    return metadata, tensors


def write_torch_fixture():
    torch.manual_seed(0)
    model = tiny_net()
    with torch.no_grad():
        model[2].weight.uniform_(0.5, 1.5)
        model[2].bias.uniform_(-0.5, 0.5)
    model.train()
    for _ in range(5):  # moves the running statistics away from 0 and 1
        model(torch.randn(16, 1, 4, 4) * 2 + 0.5)
    model.eval()
    inputs = torch.rand(4, 1, 4, 4)
    with torch.no_grad():
        logits = model(inputs)
    state = {RENAME[k]: v for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")}
    metadata = {"format": "pt", "model": "TinyNet", "written_by": "scripts/reference/safetensors_fixtures.py"}
    save_file(state, TORCH_WRITTEN, metadata)
    fixture = {
        "metadata": metadata,
        "tensors": {name: {"shape": list(t.shape), "values": [float(v) for v in t.reshape(-1).tolist()]}
                    for name, t in state.items()},
        "inputs": [float(v) for v in inputs.reshape(-1).tolist()],
        "logits": [float(v) for v in logits.reshape(-1).tolist()],
    }
    with open(TORCH_JSON, "w") as f:
        json.dump(fixture, f, indent=1)
        f.write("\n")
    # The file reads back as written.
    meta, back = load_file(TORCH_WRITTEN)
    assert meta == metadata and all(torch.equal(back[k], state[k]) for k in state)
    print("wrote", os.path.relpath(TORCH_WRITTEN), "and", os.path.relpath(TORCH_JSON))


def verify_nnlang_fixture():
    if not os.path.exists(NNLANG_WRITTEN):
        print("no", os.path.relpath(NNLANG_WRITTEN), "yet; run the Java test with -Dsafetensors.update=true")
        return False
    metadata, tensors = load_file(NNLANG_WRITTEN)
    assert metadata["format"] == "nnlang-checkpoint", metadata
    assert metadata["model"] == "TinyNet", metadata
    assert metadata["optimizer_state"] == "included", metadata
    assert "nnlang_version" in metadata, metadata
    # The tensors in the plan order of the Java test, which numbers them k = 0, 1, ...
    expected = [("linear1.weight", [8, 16]), ("linear1.bias", [8]), ("batchnorm1.weight", [8]),
                ("batchnorm1.bias", [8]), ("linear2.weight", [3, 8]), ("linear2.bias", [3]),
                ("batchnorm1.running_mean", [8]), ("batchnorm1.running_var", [8]),
                ("optimizer/linear1.weight.adam_m", [8, 16]), ("optimizer/linear1.weight.step", [1])]
    assert sorted(tensors) == sorted(n for n, _ in expected), sorted(tensors)
    for k, (name, shape) in enumerate(expected):
        t = tensors[name]
        assert list(t.shape) == shape, (name, list(t.shape))
        want = torch.tensor([((37 * i + 11 * k) % 101 - 50) / 64 for i in range(t.numel())]).reshape(shape)
        assert torch.equal(t, want), name
    # What a PyTorch user does with an nnlang checkpoint (docs/checkpoints.md).
    model = tiny_net()
    by_torch_name = {v: k for k, v in RENAME.items()}
    state = {by_torch_name[k]: v for k, v in tensors.items() if not k.startswith("optimizer/")}
    missing, unexpected = model.load_state_dict(state, strict=False)
    assert not unexpected and all(m.endswith("num_batches_tracked") for m in missing), (missing, unexpected)
    assert torch.equal(model[1].weight, tensors["linear1.weight"])
    print("verified", os.path.relpath(NNLANG_WRITTEN) + ":", len(tensors), "tensors, metadata", metadata)
    return True


if __name__ == "__main__":
    write_torch_fixture()
    sys.exit(0 if verify_nnlang_fixture() or "--allow-missing" in sys.argv else 1)
