/**
 * Stage 5: the CPU backend — Java arrays for buffers and one pre-built step object per plan step.
 */
package org.nnlang.runtime.backend.cpu;
