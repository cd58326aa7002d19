package org.nnlang.runtime.exec;

/** Work that can be split into independent index ranges, run by the {@link WorkerPool} on several cores. */
@FunctionalInterface
public interface RangeTask {
    /** Does the work for indices {@code [from, to)}; ranges given to different threads never overlap. */
    void run(int from, int to);
}
