package org.nnlang.runtime.tensor;

/**
 * The project's seeded random source: every random number nnlang draws (parameter initialisation, data shuffling,
 * dropout masks) comes from one of these, so a run with the same seed gives the same numbers on every JDK.
 *
 * <p>The generator is SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", OOPSLA
 * 2014; the same algorithm as {@link java.util.SplittableRandom}): a 64-bit counter advanced by the odd constant
 * {@code 0x9E3779B97F4A7C15} and passed through a fixed 64-bit mixing function. It is written out here rather than
 * borrowed from {@code java.util} because the JDK does not promise that its generators' streams stay the same from
 * one release to the next; this class does, since it is nothing but fixed integer arithmetic. It passes BigCrush,
 * has period 2<sup>64</sup>, and is not cryptographically secure.
 *
 * <p>Not thread-safe: give each thread its own generator with {@link #split()}.
 */
public final class Rng {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private static final float FLOAT_UNIT = 0x1.0p-24f;
    private static final double DOUBLE_UNIT = 0x1.0p-53;

    private long state;

    /** A generator whose stream is fixed by {@code seed}: the same seed gives the same numbers, always. */
    public Rng(long seed) {
        this.state = seed;
    }

    /** The next 64 random bits. */
    public long nextLong() {
        state += GOLDEN_GAMMA;
        return mix64(state);
    }

    /** A float uniformly drawn from [0, 1), with 24 random bits (every float of the form k / 2<sup>24</sup>). */
    public float nextFloat() {
        return (nextLong() >>> 40) * FLOAT_UNIT;
    }

    /** A double uniformly drawn from [0, 1), with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * DOUBLE_UNIT;
    }

    /**
     * An int uniformly drawn from {@code [0, bound)}, without the bias of a plain {@code nextLong() % bound}: draws
     * that fall in the incomplete last stretch of the 31-bit range are rejected and redrawn (at most half of them,
     * fewer than one redraw on average).
     *
     * @throws IllegalArgumentException if {@code bound} is not positive
     */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        int bits = (int) (nextLong() >>> 33);
        int mask = bound - 1;
        if ((bound & mask) == 0) {
            // A power of two: the top bits are exactly uniform over the range.
            return (int) ((bound * (long) bits) >> 31);
        }
        int value = bits % bound;
        // bits - value is the start of value's stretch of `bound` numbers; if that stretch runs past 2^31 - 1 the
        // sum overflows to negative and the draw is in the incomplete stretch.
        while (bits - value + mask < 0) {
            bits = (int) (nextLong() >>> 33);
            value = bits % bound;
        }
        return value;
    }

    /**
     * A float uniformly drawn from [{@code lo}, {@code hi}), as PyTorch's {@code uniform_(lo, hi)}. When rounding
     * would give exactly {@code hi}, the largest float below it is returned instead.
     */
    public float uniform(float lo, float hi) {
        float value = lo + (hi - lo) * nextFloat();
        return value < hi || hi <= lo ? value : Math.nextDown(hi);
    }

    /** Puts the elements of {@code a} in a uniformly random order, in place (Fisher–Yates, from the end). */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /**
     * A new generator whose stream is independent of this one's for all practical purposes, seeded from this
     * generator's next output. Splitting advances this generator by one draw, so splits are reproducible too: a run
     * typically splits one stream for parameter initialisation and one for data shuffling, so that changing the model
     * does not change the order the data is seen in.
     */
    public Rng split() {
        // The child's counter starts at a mixed 64-bit value, so it lands far from this generator's counter; mixing
        // once more with different constants keeps the child's first outputs from echoing the parent's.
        return new Rng(mixSeed(nextLong()));
    }

    /** SplitMix64's output function (David Stafford's "Mix13" variant, as in {@code SplittableRandom}). */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Stafford's "Mix04" variant, used only to derive a child's seed. */
    private static long mixSeed(long z) {
        z = (z ^ (z >>> 33)) * 0x62A9D9ED799705F5L;
        z = (z ^ (z >>> 28)) * 0xCB24D0A5C88C35B3L;
        return z ^ (z >>> 32);
    }
}
