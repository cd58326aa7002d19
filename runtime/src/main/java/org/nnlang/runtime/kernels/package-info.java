/**
 * Stage 5: the CPU kernels — plain static Java over flat float arrays, over index ranges so they can be split across cores, never allocating.
 */
package org.nnlang.runtime.kernels;
