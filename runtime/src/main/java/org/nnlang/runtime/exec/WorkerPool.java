package org.nnlang.runtime.exec;

import java.util.concurrent.locks.LockSupport;

/**
 * Splits a {@link RangeTask} over the machine's cores: the calling thread takes the first part and a fixed set of
 * worker threads the others.
 *
 * <p>Why not an {@code ExecutorService}? A training step of a small network is a few hundred microseconds made of
 * dozens of kernels, so handing work over must cost far less than a microsecond and must not allocate (a training step
 * allocates nothing). Workers therefore spin briefly on a volatile field waiting for work, then park, and the caller
 * spins until they are done. Tasks are objects built once when a plan is loaded, never lambdas made per call.
 */
public final class WorkerPool implements AutoCloseable {
    /** How long an idle worker spins before parking; steps follow each other faster than this while training. */
    private static final long SPIN_NANOS = 200_000;

    private final Worker[] workers;

    /** A pool using {@code threads} cores in all (the caller counts as one); 1 runs everything on the caller. */
    public WorkerPool(int threads) {
        workers = new Worker[Math.max(0, threads - 1)];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker("nn-worker-" + (i + 1));
            workers[i].start();
        }
    }

    /** A pool with one thread per available processor. */
    public static WorkerPool forThisMachine() {
        return new WorkerPool(Runtime.getRuntime().availableProcessors());
    }

    public int threads() {
        return workers.length + 1;
    }

    /**
     * Runs {@code task} over {@code [0, count)}, in as many parts as there are threads but never parts smaller than
     * {@code minPerPart} (tiny kernels are cheaper on one core than handed over). Returns when all parts are done;
     * an exception in any part is rethrown here.
     */
    public void run(RangeTask task, int count, int minPerPart) {
        int parts = Math.min(threads(), Math.max(1, count / Math.max(1, minPerPart)));
        if (parts <= 1) {
            task.run(0, count);
            return;
        }
        for (int p = 1; p < parts; p++) {
            workers[p - 1].submit(task, (int) ((long) count * p / parts), (int) ((long) count * (p + 1) / parts));
        }
        Throwable failure = null;
        try {
            task.run(0, count / parts);
        } catch (Throwable t) {
            failure = t;
        }
        for (int p = 1; p < parts; p++) {
            Throwable workerFailure = workers[p - 1].await();
            if (failure == null) {
                failure = workerFailure;
            }
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        } else if (failure instanceof Error e) {
            throw e;
        } else if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    @Override
    public void close() {
        for (Worker worker : workers) {
            worker.shutdown();
        }
    }

    /** One helper thread with a single-slot mailbox. */
    private static final class Worker extends Thread {
        private volatile RangeTask task;
        private volatile boolean busy;
        private volatile boolean stopped;
        private int from;
        private int to;
        private Throwable failure;

        Worker(String name) {
            super(name);
            setDaemon(true);
        }

        void submit(RangeTask work, int rangeFrom, int rangeTo) {
            from = rangeFrom;
            to = rangeTo;
            failure = null;
            busy = true;
            task = work; // the volatile write publishes from, to and busy to the worker
            LockSupport.unpark(this);
        }

        Throwable await() {
            while (busy) {
                Thread.onSpinWait();
            }
            return failure;
        }

        void shutdown() {
            stopped = true;
            LockSupport.unpark(this);
        }

        @Override
        public void run() {
            long idleSince = System.nanoTime();
            while (!stopped) {
                RangeTask work = task;
                if (work == null) {
                    if (System.nanoTime() - idleSince < SPIN_NANOS) {
                        Thread.onSpinWait();
                    } else {
                        LockSupport.parkNanos(this, 1_000_000);
                    }
                    continue;
                }
                task = null;
                try {
                    work.run(from, to);
                } catch (Throwable t) {
                    failure = t;
                }
                busy = false; // the volatile write publishes the results and failure to the caller
                idleSince = System.nanoTime();
            }
        }
    }
}
