/**
 * Stage 6: data — MNIST-format IDX files, the bundled Fashion-MNIST sample, and shuffled batches.
 */
package org.nnlang.runtime.data;
