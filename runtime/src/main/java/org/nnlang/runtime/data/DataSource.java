package org.nnlang.runtime.data;

/** Where a training run's data comes from, as a {@code train} block's {@code data = …} says. */
public sealed interface DataSource {
    /** {@code data = fashion_mnist}: the small Fashion-MNIST sample bundled with nnlang. */
    record BundledFashionMnist() implements DataSource {
    }

    /** {@code data = idx("dir")}: a folder of MNIST-format IDX files (train and t10k, gzipped or raw). */
    record IdxFolder(String directory) implements DataSource {
    }
}
