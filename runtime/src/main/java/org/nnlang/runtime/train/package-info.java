/**
 * Stage 6: the training loop — epochs, batches, accuracy, and the listener the command line draws progress from.
 */
package org.nnlang.runtime.train;
