package org.nnlang.runtime.exec;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Splits a {@link RangeTask} over the machine's cores: the calling thread and a fixed set of worker threads take its
 * parts one at a time until none is left.
 *
 * <p>Why not an {@code ExecutorService}? A training step of a small network is a few hundred microseconds made of
 * dozens of kernels, so handing work over must cost far less than a microsecond and must not allocate (a training step
 * allocates nothing). Workers therefore spin briefly on a volatile field waiting for work, then park, and the caller
 * spins until they are done. Tasks are objects built once when a plan is loaded, never lambdas made per call.
 *
 * <p>Why parts are <em>taken</em>, not handed out one per thread: a core is not always all ours. On a laptop running
 * other programs, or a virtual machine whose host shares a core, a worker may start late or run slowly, and with a
 * fixed share per thread every kernel then waits for it (the seed MLP's step measured 1.43 ms on 2 threads against
 * 0.40 on one, with another busy process on the 2-core machine). So a task is cut into up to
 * {@link #PARTS_PER_THREAD} parts per thread, each thread takes the next part from a shared counter, and a worker
 * that has not started by the time the caller has taken the last part is not waited for: the caller withdraws the
 * work it offered.
 */
public final class WorkerPool implements AutoCloseable {
    /** How long an idle worker spins before parking; steps follow each other faster than this while training. */
    private static final long SPIN_NANOS = 200_000;
    /** At most this many parts per thread: enough to rebalance around a slow core, few enough to stay cheap. */
    public static final int PARTS_PER_THREAD = 4;

    private final Worker[] workers;
    /** The task being run; one at a time, reused so that running allocates nothing. */
    private final Job job = new Job();

    /** A pool using {@code threads} cores in all (the caller counts as one); 1 runs everything on the caller. */
    public WorkerPool(int threads) {
        workers = new Worker[Math.max(0, threads - 1)];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker("nn-worker-" + (i + 1), i + 1);
            workers[i].start();
        }
    }

    /**
     * Which thread of a pool runs the current part: {@code i} on worker {@code i} (1 to {@code threads() − 1}), 0 on
     * any other thread, which for a running task is the caller of {@link #run}. Tasks pick their per-thread scratch
     * with it, so that a task can be cut into more parts than there are threads: parts run one at a time on each
     * thread, so two parts never share a scratch at once.
     */
    public static int threadIndex() {
        return Thread.currentThread() instanceof Worker worker ? worker.index : 0;
    }

    /** A pool with one thread per available processor. */
    public static WorkerPool forThisMachine() {
        return new WorkerPool(Runtime.getRuntime().availableProcessors());
    }

    public int threads() {
        return workers.length + 1;
    }

    /**
     * Runs {@code task} over {@code [0, count)}, cut into at most {@link #PARTS_PER_THREAD} parts per thread but never
     * parts smaller than {@code minPerPart} (tiny kernels are cheaper on one core than handed over): part {@code p} of
     * {@code n} is {@code [⌊count·p/n⌋, ⌊count·(p+1)/n⌋)}, and every part runs exactly once, on some thread. Returns
     * when all parts are done; an exception in any part is rethrown here.
     */
    public void run(RangeTask task, int count, int minPerPart) {
        int parts = Math.min(threads() * PARTS_PER_THREAD, Math.max(1, count / Math.max(1, minPerPart)));
        if (parts <= 1) {
            task.run(0, count);
            return;
        }
        job.start(task, count, parts);
        int helpers = Math.min(workers.length, parts - 1);
        for (int w = 0; w < helpers; w++) {
            workers[w].offer(job);
        }
        Throwable failure = job.takeParts();
        for (int w = 0; w < helpers; w++) {
            Throwable workerFailure = workers[w].withdrawOrAwait(job);
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

    /** One task cut into parts, and the counter from which threads take them. */
    private static final class Job {
        private final AtomicInteger nextPart = new AtomicInteger();
        private RangeTask task;
        private int count;
        private int parts;

        /** Written before the job is offered; the offer's volatile write publishes these fields to the workers. */
        void start(RangeTask newTask, int newCount, int newParts) {
            task = newTask;
            count = newCount;
            parts = newParts;
            nextPart.set(0);
        }

        /** Runs parts until none is left; returns the first failure (and stops taking parts after it), or null. */
        Throwable takeParts() {
            for (int p = nextPart.getAndIncrement(); p < parts; p = nextPart.getAndIncrement()) {
                try {
                    task.run((int) ((long) count * p / parts), (int) ((long) count * (p + 1) / parts));
                } catch (Throwable t) {
                    return t;
                }
            }
            return null;
        }
    }

    /** One helper thread with a single-slot mailbox. */
    private static final class Worker extends Thread {
        /** The offered job, until this worker takes it or the caller withdraws it: whoever empties it owns it. */
        private final AtomicReference<Job> mailbox = new AtomicReference<>();
        private volatile boolean busy;
        private volatile boolean stopped;
        private Throwable failure;
        /** This worker's {@link #threadIndex}. */
        private final int index;

        Worker(String name, int index) {
            super(name);
            this.index = index;
            setDaemon(true);
        }

        void offer(Job job) {
            failure = null;
            busy = true;
            mailbox.set(job); // the volatile write publishes busy, failure and the job's fields to the worker
            LockSupport.unpark(this);
        }

        /**
         * After the caller has taken the last part: takes back the offer if this worker has not picked it up (then
         * there is nothing to wait for), otherwise waits until it has finished its parts. Returns its failure.
         */
        Throwable withdrawOrAwait(Job job) {
            if (mailbox.compareAndSet(job, null)) {
                busy = false;
                return null;
            }
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
                Job job = mailbox.get();
                if (job == null || !mailbox.compareAndSet(job, null)) {
                    if (System.nanoTime() - idleSince < SPIN_NANOS) {
                        Thread.onSpinWait();
                    } else {
                        LockSupport.parkNanos(this, 1_000_000);
                    }
                    continue;
                }
                failure = job.takeParts();
                busy = false; // the volatile write publishes the results and failure to the caller
                idleSince = System.nanoTime();
            }
        }
    }
}
