package org.nnlang.runtime.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {
    @Test
    void everyIndexRunsExactlyOnceWhateverTheSplit() {
        Random random = new Random(5);
        for (int threads = 1; threads <= 4; threads++) {
            try (WorkerPool pool = new WorkerPool(threads)) {
                for (int trial = 0; trial < 300; trial++) {
                    int count = random.nextInt(200);
                    int minPerPart = 1 + random.nextInt(20);
                    AtomicIntegerArray runs = new AtomicIntegerArray(count);
                    pool.run((from, to) -> {
                        for (int i = from; i < to; i++) {
                            runs.incrementAndGet(i);
                        }
                    }, count, minPerPart);
                    for (int i = 0; i < count; i++) {
                        assertThat(runs.get(i)).as("index %d of %d, %d threads", i, count, threads).isEqualTo(1);
                    }
                }
            }
        }
    }

    @Test
    void partsFollowTheDocumentedRangesAndRespectTheMinimumSize() {
        try (WorkerPool pool = new WorkerPool(2)) {
            ConcurrentHashMap<Integer, Integer> ranges = new ConcurrentHashMap<>();
            pool.run((from, to) -> ranges.put(from, to), 100, 1);
            // 2 threads × PARTS_PER_THREAD parts: [⌊100·p/8⌋, ⌊100·(p+1)/8⌋).
            assertThat(ranges).hasSize(2 * WorkerPool.PARTS_PER_THREAD).containsEntry(0, 12).containsEntry(12, 25)
                    .containsEntry(87, 100);
            ranges.clear();
            pool.run((from, to) -> ranges.put(from, to), 100, 40);
            assertThat(ranges).containsOnlyKeys(0, 50);
            ranges.clear();
            pool.run((from, to) -> ranges.put(from, to), 100, 1000);
            assertThat(ranges).containsExactlyEntriesOf(Map.of(0, 100));
        }
    }

    @Test
    void theCallerTakesTheWorkOfAWorkerThatIsHeldUp() {
        int parts = 2 * WorkerPool.PARTS_PER_THREAD;
        try (WorkerPool pool = new WorkerPool(2)) {
            Thread caller = Thread.currentThread();
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger partsOnCaller = new AtomicInteger();
            AtomicInteger partsOnWorker = new AtomicInteger();
            // A part the worker takes blocks until the caller has run all the others: with one fixed share per
            // thread this would never end (the caller would only ever run its own share, then wait). Taken part by
            // part, the caller runs every other part and then lets the worker go. If the worker does not get to its
            // mailbox in time, the caller runs all the parts and withdraws the offer.
            pool.run((from, to) -> {
                if (Thread.currentThread() == caller) {
                    if (partsOnCaller.incrementAndGet() == parts - 1) {
                        release.countDown();
                    }
                    return;
                }
                partsOnWorker.incrementAndGet();
                try {
                    assertThat(release.await(10, TimeUnit.SECONDS)).as("the caller took the other parts").isTrue();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, 80, 1);
            assertThat(partsOnCaller.get() + partsOnWorker.get()).isEqualTo(parts);
            assertThat(partsOnWorker.get()).isLessThanOrEqualTo(1);
        }
    }

    /**
     * Per-thread scratch relies on {@link WorkerPool#threadIndex}: 0 on the caller, a distinct index below
     * {@code threads()} on each worker, the same for every part a thread runs.
     */
    @Test
    void eachThreadHasItsOwnIndex() {
        assertThat(WorkerPool.threadIndex()).as("outside any pool").isZero();
        try (WorkerPool pool = new WorkerPool(3)) {
            Thread caller = Thread.currentThread();
            Map<Thread, Integer> indexOf = new ConcurrentHashMap<>();
            for (int round = 0; round < 200; round++) {
                pool.run((from, to) -> {
                    Integer before = indexOf.putIfAbsent(Thread.currentThread(), WorkerPool.threadIndex());
                    if (before != null) {
                        assertThat(WorkerPool.threadIndex()).isEqualTo(before);
                    }
                    // Long enough that the workers take parts too.
                    long until = System.nanoTime() + 20_000;
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                }, 12, 1);
            }
            assertThat(indexOf.get(caller)).isZero();
            assertThat(indexOf.values()).doesNotHaveDuplicates().allSatisfy(i -> assertThat(i).isBetween(0, 2));
            assertThat(indexOf).as("some part ran on a worker in 200 rounds").hasSizeGreaterThan(1);
        }
    }

    @Test
    void aFailureInAnyPartReachesTheCallerAndThePoolStaysUsable() {
        try (WorkerPool pool = new WorkerPool(3)) {
            for (int failing = 0; failing < 12; failing++) {
                int bad = failing * 10;
                assertThatThrownBy(() -> pool.run((from, to) -> {
                    if (from <= bad && bad < to) {
                        throw new IllegalArgumentException("part with " + bad);
                    }
                }, 120, 1)).isInstanceOf(IllegalArgumentException.class).hasMessage("part with " + bad);
            }
            AtomicInteger sum = new AtomicInteger();
            pool.run((from, to) -> sum.addAndGet(to - from), 1000, 1);
            assertThat(sum.get()).isEqualTo(1000);
        }
    }
}
