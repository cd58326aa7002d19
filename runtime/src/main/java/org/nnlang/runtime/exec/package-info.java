/**
 * Stage 5 support: running work on every core without allocating (WorkerPool, RangeTask).
 */
package org.nnlang.runtime.exec;
