package org.nnlang.runtime.kernels;

import static org.nnlang.runtime.kernels.GradCheck.randomArray;
import static org.nnlang.runtime.kernels.SteadyState.assertNoAllocation;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nnlang.runtime.tensor.Rng;

/**
 * The convolutional-network kernels under the JVM's per-thread allocation counter, as {@link NoAllocationTest}
 * does for the others: a training step allocates nothing, so no kernel may.
 */
class CnnNoAllocationTest {
    private static final int N = 2;
    private final Random random = new Random(5);

    @Test
    void convolutionDoesNotAllocate() {
        for (Conv2d.Geometry g : new Conv2d.Geometry[] {
                Conv2d.Geometry.square(4, 7, 6, 6, 3, 2, 1, 2, 2),
                Conv2d.Geometry.square(3, 6, 6, 6, 3, 1, 1, 1, 3)}) {
            float[] x = randomArray(random, N * g.inputSize());
            float[] w = randomArray(random, g.weightSize());
            float[] b = randomArray(random, g.outChannels());
            float[] y = new float[N * g.outputSize()];
            float[] dy = randomArray(random, y.length);
            float[] dx = new float[x.length];
            float[] dw = new float[w.length];
            float[] db = new float[b.length];
            assertNoAllocation("Conv2d.forward", () -> Conv2d.forward(x, w, b, y, g, 0, N));
            assertNoAllocation("Conv2d.backwardInput", () -> Conv2d.backwardInput(dy, w, dx, g, 0, N));
            assertNoAllocation("Conv2d.backwardWeight",
                    () -> Conv2d.backwardWeight(dy, x, dw, N, g, 0, g.outChannels()));
            assertNoAllocation("Conv2d.backwardBias", () -> Conv2d.backwardBias(dy, db, N, g, 0, g.outChannels()));
        }
    }

    @Test
    void poolingDoesNotAllocate() {
        Pooling.Geometry g = Pooling.Geometry.square(3, 7, 6, 3, 2, 1);
        float[] x = randomArray(random, N * g.inputSize());
        float[] y = new float[N * g.outputSize()];
        float[] indices = new float[y.length];
        float[] dy = randomArray(random, y.length);
        float[] dx = new float[x.length];
        float[] pooled = new float[N * g.channels()];
        int plane = g.inHeight() * g.inWidth();
        assertNoAllocation("Pooling.maxPool2dForward", () -> Pooling.maxPool2dForward(x, y, indices, g, 0, N));
        assertNoAllocation("Pooling.maxPool2dBackward", () -> Pooling.maxPool2dBackward(dy, indices, dx, g, 0, N));
        assertNoAllocation("Pooling.avgPool2dForward", () -> Pooling.avgPool2dForward(x, y, g, 0, N));
        assertNoAllocation("Pooling.avgPool2dBackward", () -> Pooling.avgPool2dBackward(dy, dx, g, 0, N));
        assertNoAllocation("Pooling.globalAvgPoolForward",
                () -> Pooling.globalAvgPoolForward(x, pooled, g.channels(), plane, 0, N));
        assertNoAllocation("Pooling.globalAvgPoolBackward",
                () -> Pooling.globalAvgPoolBackward(pooled, dx, g.channels(), plane, 0, N));
    }

    @Test
    void batchNormDoesNotAllocate() {
        int channels = 3;
        int spatial = 10;
        float[] x = randomArray(random, N * channels * spatial);
        float[] gamma = randomArray(random, channels);
        float[] beta = randomArray(random, channels);
        float[] runningMean = new float[channels];
        float[] runningVar = {1f, 1f, 1f};
        float[] mean = new float[channels];
        float[] invStd = new float[channels];
        float[] y = new float[x.length];
        float[] dy = randomArray(random, x.length);
        float[] dx = new float[x.length];
        float[] dgamma = new float[channels];
        float[] dbeta = new float[channels];
        assertNoAllocation("BatchNorm.forwardTraining", () -> BatchNorm.forwardTraining(x, gamma, beta, y,
                runningMean, runningVar, mean, invStd, N, channels, spatial, 1e-5f, 0.1f, 0, channels));
        assertNoAllocation("BatchNorm.forwardInference", () -> BatchNorm.forwardInference(x, gamma, beta,
                runningMean, runningVar, y, channels, spatial, 1e-5f, 0, N));
        assertNoAllocation("BatchNorm.backward", () -> BatchNorm.backward(x, dy, mean, invStd, gamma, dx, dgamma,
                dbeta, N, channels, spatial, 0, channels));
    }

    @Test
    void dropoutActivationsAndConcatDoNotAllocate() {
        int size = 40;
        float[] x = randomArray(random, size);
        float[] y = new float[size];
        float[] dy = randomArray(random, size);
        float[] dx = new float[size];
        float[] mask = new float[size];
        Rng rng = new Rng(1);
        assertNoAllocation("Dropout.drawMask", () -> Dropout.drawMask(rng, mask, 0.3f, 0, size));
        assertNoAllocation("Dropout.forward", () -> Dropout.forward(x, mask, y, 0.3f, 0, size));
        assertNoAllocation("Dropout.backward", () -> Dropout.backward(dy, mask, dx, 0.3f, 0, size));
        assertNoAllocation("Activations.sigmoidForward", () -> Activations.sigmoidForward(x, y, 0, size));
        assertNoAllocation("Activations.sigmoidBackward", () -> Activations.sigmoidBackward(y, dy, dx, 0, size));
        assertNoAllocation("Activations.tanhForward", () -> Activations.tanhForward(x, y, 0, size));
        assertNoAllocation("Activations.tanhBackward", () -> Activations.tanhBackward(y, dy, dx, 0, size));
        assertNoAllocation("Activations.geluForward", () -> Activations.geluForward(x, y, 0, size));
        assertNoAllocation("Activations.geluBackward", () -> Activations.geluBackward(x, dy, dx, 0, size));
        assertNoAllocation("Activations.softmaxForward", () -> Activations.softmaxForward(x, y, 8, 0, 5));
        assertNoAllocation("Activations.softmaxBackward", () -> Activations.softmaxBackward(y, dy, dx, 8, 0, 5));
        float[] cat = new float[2 * size];
        assertNoAllocation("Concat.copyIn", () -> Concat.copyIn(x, cat, 20, 40, 20, 0, 2));
        assertNoAllocation("Concat.copyOut", () -> Concat.copyOut(cat, dx, 20, 40, 20, 0, 2));
    }
}
