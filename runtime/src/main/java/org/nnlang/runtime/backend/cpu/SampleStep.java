package org.nnlang.runtime.backend.cpu;

import org.nnlang.runtime.exec.RangeTask;
import org.nnlang.runtime.exec.WorkerPool;

/**
 * A step whose kernel works on whole samples, split across the cores by ranges of samples: the subclass says what to
 * do for samples {@code [from, to)}.
 */
abstract class SampleStep implements BoundStep, RangeTask {
    private final WorkerPool pool;

    SampleStep(WorkerPool pool) {
        this.pool = pool;
    }

    @Override
    public final void run(int batch) {
        pool.run(this, batch, 1);
    }
}
