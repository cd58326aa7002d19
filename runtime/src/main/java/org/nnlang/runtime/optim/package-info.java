/**
 * Stage 5: optimizer update kernels (SGD, Adam, AdamW) with PyTorch's formulas, in place over index ranges.
 */
package org.nnlang.runtime.optim;
