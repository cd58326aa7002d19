#!/usr/bin/python3
"""Builds the small Fashion-MNIST sample bundled with nnlang.

Takes the first 10,000 training images and the first 2,000 test images (with their labels) of the full
Fashion-MNIST data set, as Debian's package dataset-fashion-mnist installs it, and writes them as gzipped
MNIST-format IDX files into the runtime's resources, where `data = fashion_mnist` reads them from the classpath.

Standard library only. The output is reproducible byte for byte: gzip level 9, mtime 0, no file name in the
gzip header.

    /usr/bin/python3 scripts/make_fashion_mnist_sample.py [SOURCE_DIR]
"""
import gzip
import io
import os
import struct
import sys

SOURCE = "/usr/share/datasets/fashion-mnist"
HERE = os.path.dirname(os.path.abspath(__file__))
TARGET = os.path.join(HERE, "..", "runtime", "src", "main", "resources",
                      "org", "nnlang", "runtime", "data", "fashion-mnist-sample")

# (file stem, how many samples to keep)
PARTS = [("train", 10_000), ("t10k", 2_000)]


def read_idx(path):
    """Returns (dims, payload bytes) of an IDX file of unsigned bytes, gzipped or raw."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    zero1, zero2, dtype, ndims = struct.unpack(">BBBB", data[:4])
    if zero1 != 0 or zero2 != 0 or dtype != 0x08:
        sys.exit(f"{path}: not an IDX file of unsigned bytes")
    dims = list(struct.unpack(">" + "I" * ndims, data[4:4 + 4 * ndims]))
    payload = data[4 + 4 * ndims:]
    size = 1
    for d in dims:
        size *= d
    if len(payload) != size:
        sys.exit(f"{path}: header promises {size} bytes of data but the file holds {len(payload)}")
    return dims, payload


def write_idx(path, dims, payload):
    header = struct.pack(">BBBB", 0, 0, 0x08, len(dims)) + struct.pack(">" + "I" * len(dims), *dims)
    buffer = io.BytesIO()
    # filename="" and mtime=0 keep the gzip header free of anything that changes between runs.
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as gz:
        gz.write(header)
        gz.write(payload)
    with open(path, "wb") as f:
        f.write(buffer.getvalue())


def find(source, name):
    for candidate in (name + ".gz", name):
        path = os.path.join(source, candidate)
        if os.path.exists(path):
            return path
    sys.exit(f"{source}: no {name}[.gz]; is the package dataset-fashion-mnist installed?")


def main():
    source = sys.argv[1] if len(sys.argv) > 1 else SOURCE
    os.makedirs(TARGET, exist_ok=True)
    for stem, keep in PARTS:
        image_dims, images = read_idx(find(source, f"{stem}-images-idx3-ubyte"))
        label_dims, labels = read_idx(find(source, f"{stem}-labels-idx1-ubyte"))
        if len(image_dims) != 3 or len(label_dims) != 1 or image_dims[0] != label_dims[0]:
            sys.exit(f"{stem}: unexpected dimensions {image_dims} / {label_dims}")
        if image_dims[0] < keep:
            sys.exit(f"{stem}: only {image_dims[0]} samples, need {keep}")
        _, rows, cols = image_dims
        write_idx(os.path.join(TARGET, f"{stem}-images-idx3-ubyte.gz"),
                  [keep, rows, cols], images[:keep * rows * cols])
        write_idx(os.path.join(TARGET, f"{stem}-labels-idx1-ubyte.gz"), [keep], labels[:keep])
        counts = [labels[:keep].count(c) for c in range(10)]
        print(f"{stem}: {keep} samples of {rows}x{cols}, per class {counts}")


if __name__ == "__main__":
    main()
