package org.nnlang.runtime.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.nnlang.runtime.kernels.CnnFixtures.assertMatchesPyTorch;
import static org.nnlang.runtime.kernels.CnnFixtures.floats;
import static org.nnlang.runtime.kernels.CnnFixtures.integer;
import static org.nnlang.runtime.kernels.GradCheck.randomArray;
import static org.nnlang.runtime.kernels.GradCheck.toDouble;
import static org.nnlang.runtime.kernels.GradCheck.weightedSum;
import static org.nnlang.runtime.kernels.RangeCheck.assertSplitEqualsWhole;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ConcatTest {
    private final Random random = new Random(61);

    /** Runs {@link Concat#copyIn} once per part, the way the executor calls it for {@code k} inputs. */
    private static void forward(float[][] parts, int[] inner, float[] y, int rowFrom, int rowTo) {
        int total = sum(inner);
        int offset = 0;
        for (int i = 0; i < parts.length; i++) {
            Concat.copyIn(parts[i], y, inner[i], total, offset, rowFrom, rowTo);
            offset += inner[i];
        }
    }

    private static void backward(float[] dy, int[] inner, float[][] dparts, int rowFrom, int rowTo) {
        int total = sum(inner);
        int offset = 0;
        for (int i = 0; i < dparts.length; i++) {
            Concat.copyOut(dy, dparts[i], inner[i], total, offset, rowFrom, rowTo);
            offset += inner[i];
        }
    }

    private static int sum(int[] values) {
        int total = 0;
        for (int v : values) {
            total += v;
        }
        return total;
    }

    /**
     * The fixture's shapes are full PyTorch shapes with a {@code dim}; rows are the product of the dimensions
     * before it (the batch included) and each part's inner size the product from it on.
     */
    @Test
    void matchesPyTorch() {
        for (JsonObject c : CnnFixtures.cases("concat")) {
            int dim = integer(c, "dim");
            JsonArray shapes = c.getAsJsonArray("shapes");
            int k = shapes.size();
            int rows = 1;
            for (int d = 0; d < dim; d++) {
                rows *= shapes.get(0).getAsJsonArray().get(d).getAsInt();
            }
            int[] inner = new int[k];
            float[][] parts = new float[k][];
            float[][] dparts = new float[k][];
            for (int i = 0; i < k; i++) {
                parts[i] = floats(c.getAsJsonArray("parts").get(i).getAsJsonArray());
                inner[i] = parts[i].length / rows;
                dparts[i] = randomArray(random, parts[i].length);
            }
            float[] y = randomArray(random, rows * sum(inner));
            forward(parts, inner, y, 0, rows);
            assertMatchesPyTorch(c, "y", y, floats(c, "y"), 0, 0);
            backward(floats(c, "dy"), inner, dparts, 0, rows);
            for (int i = 0; i < k; i++) {
                assertMatchesPyTorch(c, "dpart " + i, dparts[i],
                        floats(c.getAsJsonArray("dparts").get(i).getAsJsonArray()), 0, 0);
            }
        }
    }

    @Test
    void forwardMatchesReferenceAndGradientsMatchNumericalGradients() {
        int rows = 3;
        int[] inner = {8, 4, 12};
        float[][] parts = new float[3][];
        for (int i = 0; i < 3; i++) {
            parts[i] = randomArray(random, rows * inner[i]);
        }
        float[] y = new float[rows * sum(inner)];
        forward(parts, inner, y, 0, rows);
        double[][] partsD = {toDouble(parts[0]), toDouble(parts[1]), toDouble(parts[2])};
        GradCheck.assertClose("concat.forward", "y", y, CnnReferenceOps.concat(partsD, rows), 0, 0);

        float[] r = randomArray(random, y.length);
        float[][] dparts = {new float[parts[0].length], new float[parts[1].length], new float[parts[2].length]};
        backward(r, inner, dparts, 0, rows);
        for (int i = 0; i < 3; i++) {
            int which = i;
            GradCheck.check("concat", "part" + i, parts[i], pd -> {
                double[][] with = partsD.clone();
                with[which] = pd;
                return weightedSum(r, CnnReferenceOps.concat(with, rows));
            }, dparts[i]);
        }
    }

    @Test
    void splittingRangesGivesTheSameResult() {
        int rows = 4;
        int[] inner = {6, 3};
        float[][] parts = {randomArray(random, rows * 6), randomArray(random, rows * 3)};
        float[] dy = randomArray(random, rows * 9);
        for (int k = 0; k <= rows; k++) {
            assertSplitEqualsWhole("copyIn (all parts)", rows * 9, 9, k,
                    (y, from, to) -> forward(parts, inner, y, from, to));
            for (int i = 0; i < 2; i++) {
                int part = i;
                int offset = i == 0 ? 0 : 6;
                assertSplitEqualsWhole("copyOut part " + i, rows * inner[i], inner[i], k,
                        (dpart, from, to) -> Concat.copyOut(dy, dpart, inner[part], 9, offset, from, to));
            }
        }
    }

    @Test
    void eachCopyInWritesOnlyItsOwnColumns() {
        float[] y = new float[2 * 5];
        java.util.Arrays.fill(y, Float.NaN);
        Concat.copyIn(new float[] {1, 2, 3, 4}, y, 2, 5, 3, 0, 2);
        assertThat(y).usingElementComparator(Float::compare)
                .containsExactly(Float.NaN, Float.NaN, Float.NaN, 1f, 2f, Float.NaN, Float.NaN, Float.NaN, 3f, 4f);
    }
}
