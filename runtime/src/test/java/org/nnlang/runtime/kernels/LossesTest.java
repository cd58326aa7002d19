package org.nnlang.runtime.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.nnlang.runtime.kernels.GradCheck.randomArray;
import static org.nnlang.runtime.kernels.GradCheck.toDouble;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LossesTest {
    private static final int N = 5;
    private static final int CLASSES = 4;
    private final Random random = new Random(2024);

    private float[] randomLabels(int n, int classes) {
        float[] labels = new float[n];
        for (int r = 0; r < n; r++) {
            labels[r] = random.nextInt(classes);
        }
        return labels;
    }

    @Test
    void crossEntropyForwardMatchesFloat64Reference() {
        float[] logits = randomArray(random, N * CLASSES);
        float[] labels = randomLabels(N, CLASSES);
        float[] probs = randomArray(random, N * CLASSES);
        float loss = Losses.softmaxCrossEntropyForward(logits, labels, probs, N, CLASSES);
        double expected = ReferenceOps.softmaxCrossEntropy(toDouble(logits), labels, N, CLASSES);
        GradCheck.assertClose("softmaxCrossEntropy.forward", "loss", new float[] {loss}, new double[] {expected},
                1e-6, 1e-7);
        GradCheck.assertClose("softmaxCrossEntropy.forward", "probs", probs,
                ReferenceOps.softmax(toDouble(logits), N, CLASSES), 1e-6, 1e-7);
    }

    @Test
    void crossEntropyGradientMatchesNumericalGradient() {
        float[] logits = randomArray(random, N * CLASSES);
        float[] labels = randomLabels(N, CLASSES);
        float[] probs = new float[N * CLASSES];
        Losses.softmaxCrossEntropyForward(logits, labels, probs, N, CLASSES);
        float[] dlogits = randomArray(random, N * CLASSES);
        Losses.softmaxCrossEntropyBackward(probs, labels, dlogits, N, CLASSES, 0, N);
        GradCheck.check("softmaxCrossEntropy", "logits", logits,
                z -> ReferenceOps.softmaxCrossEntropy(z, labels, N, CLASSES), dlogits);
    }

    @Test
    void crossEntropyIsStableForHugeLogits() {
        // exp(1000) overflows even a double; without the max shift the loss would be NaN or infinite.
        float[] logits = {1000f, 0f, -1000f, 999f};
        float[] probs = new float[4];
        float loss = Losses.softmaxCrossEntropyForward(logits, new float[] {3f}, probs, 1, 4);
        assertThat(loss).isCloseTo((float) (1 + Math.log1p(Math.exp(-1))), org.assertj.core.data.Offset.offset(1e-5f));
        assertThat(probs[0] + probs[3]).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-6f));
    }

    @Test
    void crossEntropyRejectsLabelsThatAreNotClassIndices() {
        float[] probs = new float[2 * 3];
        float[] logits = randomArray(random, 2 * 3);
        assertThatThrownBy(() -> Losses.softmaxCrossEntropyForward(logits, new float[] {0f, 3f}, probs, 2, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 1");
        assertThatThrownBy(() -> Losses.softmaxCrossEntropyForward(logits, new float[] {0.5f, 1f}, probs, 2, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 0");
    }

    @Test
    void mseForwardMatchesFloat64Reference() {
        float[] pred = randomArray(random, 17);
        float[] target = randomArray(random, 17);
        float loss = Losses.mseForward(pred, target, 17);
        GradCheck.assertClose("mse.forward", "loss", new float[] {loss},
                new double[] {ReferenceOps.mse(toDouble(pred), toDouble(target))}, 1e-6, 1e-7);
    }

    @Test
    void mseGradientMatchesNumericalGradient() {
        float[] pred = randomArray(random, 17);
        float[] target = randomArray(random, 17);
        float[] dpred = randomArray(random, 17);
        Losses.mseBackward(pred, target, dpred, 17, 0, 17);
        GradCheck.check("mse", "pred", pred, p -> ReferenceOps.mse(p, toDouble(target)), dpred);
    }

    @Test
    void countCorrectMatchesReferenceArgmax() {
        int n = 40;
        float[] logits = randomArray(random, n * CLASSES);
        float[] labels = randomLabels(n, CLASSES);
        int expected = 0;
        for (int r = 0; r < n; r++) {
            expected += ReferenceOps.argmax(logits, r, CLASSES) == (int) labels[r] ? 1 : 0;
        }
        assertThat(expected).as("the random case should be neither all right nor all wrong").isBetween(1, n - 1);
        assertThat(Losses.countCorrect(logits, labels, n, CLASSES)).isEqualTo(expected);
    }

    @Test
    void splittingRangesGivesTheSameResult() {
        float[] logits = randomArray(random, N * CLASSES);
        float[] labels = randomLabels(N, CLASSES);
        float[] probs = new float[N * CLASSES];
        Losses.softmaxCrossEntropyForward(logits, labels, probs, N, CLASSES);
        float[] pred = randomArray(random, 13);
        float[] target = randomArray(random, 13);
        for (int k = 0; k <= N; k++) {
            RangeCheck.assertSplitEqualsWhole("softmaxCrossEntropyBackward", N * CLASSES, CLASSES, k,
                    (out, from, to) -> Losses.softmaxCrossEntropyBackward(probs, labels, out, N, CLASSES, from, to));
        }
        for (int k = 0; k <= 13; k++) {
            RangeCheck.assertSplitEqualsWhole("mseBackward", 13, 1, k,
                    (out, from, to) -> Losses.mseBackward(pred, target, out, 13, from, to));
        }
    }

    // ---- PyTorch reference values (scripts/reference/losses.py) ----

    @Test
    void crossEntropyMatchesPyTorch() throws IOException {
        for (JsonElement element : fixture().getAsJsonArray("cross_entropy")) {
            JsonObject c = element.getAsJsonObject();
            int n = c.get("n").getAsInt();
            int classes = c.get("classes").getAsInt();
            float[] logits = floats(c.getAsJsonArray("logits"));
            float[] labels = floats(c.getAsJsonArray("labels"));
            float[] probs = new float[n * classes];
            float loss = Losses.softmaxCrossEntropyForward(logits, labels, probs, n, classes);
            assertClose("cross_entropy loss", new float[] {loss}, new float[] {c.get("loss").getAsFloat()});
            float[] grad = new float[n * classes];
            Losses.softmaxCrossEntropyBackward(probs, labels, grad, n, classes, 0, n);
            assertClose("cross_entropy grad", grad, floats(c.getAsJsonArray("grad")));
        }
    }

    @Test
    void mseMatchesPyTorch() throws IOException {
        for (JsonElement element : fixture().getAsJsonArray("mse")) {
            JsonObject c = element.getAsJsonObject();
            int count = c.get("count").getAsInt();
            float[] pred = floats(c.getAsJsonArray("pred"));
            float[] target = floats(c.getAsJsonArray("target"));
            float loss = Losses.mseForward(pred, target, count);
            assertClose("mse loss", new float[] {loss}, new float[] {c.get("loss").getAsFloat()});
            float[] grad = new float[count];
            Losses.mseBackward(pred, target, grad, count, 0, count);
            assertClose("mse grad", grad, floats(c.getAsJsonArray("grad")));
        }
    }

    @Test
    void countCorrectBreaksTiesLikeTorchArgmax() throws IOException {
        JsonObject c = fixture().getAsJsonObject("argmax");
        float[] logits = floats(c.getAsJsonArray("logits"));
        float[] labels = floats(c.getAsJsonArray("labels"));
        int n = c.get("n").getAsInt();
        int classes = c.get("classes").getAsInt();
        assertThat(Losses.countCorrect(logits, labels, n, classes)).isEqualTo(c.get("correct").getAsInt());
        // Row by row, so a wrong tie-break names its row.
        JsonArray argmax = c.getAsJsonArray("argmax");
        for (int r = 0; r < n; r++) {
            float[] onlyThisLabel = {argmax.get(r).getAsFloat()};
            float[] row = java.util.Arrays.copyOfRange(logits, r * classes, (r + 1) * classes);
            assertThat(Losses.countCorrect(row, onlyThisLabel, 1, classes))
                    .as("row %d: torch.argmax says %d", r, argmax.get(r).getAsInt()).isEqualTo(1);
        }
    }

    private static void assertClose(String what, float[] actual, float[] pytorch) {
        assertThat(actual).as(what).hasSameSizeAs(pytorch);
        for (int k = 0; k < pytorch.length; k++) {
            assertThat(Math.abs(actual[k] - pytorch[k]))
                    .as("%s[%d]: nnlang %s, PyTorch %s", what, k, actual[k], pytorch[k])
                    .isLessThanOrEqualTo(1e-6f * Math.abs(pytorch[k]) + 1e-8f);
        }
    }

    static float[] floats(JsonArray array) {
        float[] a = new float[array.size()];
        for (int k = 0; k < a.length; k++) {
            a[k] = array.get(k).getAsFloat();
        }
        return a;
    }

    private static JsonObject fixture() throws IOException {
        try (Reader reader = new InputStreamReader(
                LossesTest.class.getResourceAsStream("/fixtures/losses.json"), StandardCharsets.UTF_8)) {
            return JsonParser.parseReader(reader).getAsJsonObject();
        }
    }
}
