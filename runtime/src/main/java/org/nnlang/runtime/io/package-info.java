/**
 * Stage 6: checkpoints — a loaded model's weights to and from
 * <a href="https://github.com/huggingface/safetensors">safetensors</a> files, which PyTorch reads and writes too:
 * {@link org.nnlang.runtime.io.Safetensors} for the format, {@link org.nnlang.runtime.io.Checkpoints} for what a
 * checkpoint of an executable holds. No library: the runtime depends on nothing, so the small JSON header is read
 * and written by {@code Json}.
 */
package org.nnlang.runtime.io;
