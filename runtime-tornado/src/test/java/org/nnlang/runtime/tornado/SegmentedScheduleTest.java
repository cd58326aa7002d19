package org.nnlang.runtime.tornado;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A schedule cut into many TornadoVM task graphs (as a ResNet's must be: TornadoVM encodes a graph into 8 KiB) trains
 * exactly like the CPU: buffers made in one segment and used in later ones (a residual branch, batchnorm's saved
 * statistics, dropout's mask, the gradients of a concat) must reach them on the device. Two tasks per graph forces a
 * cut after nearly every step.
 */
@Tag("tornado")
class SegmentedScheduleTest {
    @AfterEach
    void restore() {
        System.clearProperty("nn.tornado.tasksPerGraph");
    }

    @Test
    void aScheduleInManyGraphsTrainsLikeTheCpu() {
        System.setProperty("nn.tornado.tasksPerGraph", "2");
        BackendComparison.compare("""
                model M {
                    input x: [2, 6, 5]
                    h = conv2d(3, kernel = 3, padding = 1, bias = false) -> batchnorm -> relu
                    a = h -> conv2d(3, kernel = 3, padding = 1) -> tanh
                    p = (a + h) -> max_pool2d(2)
                    b = x -> avg_pool2d(2)
                    (p, b) -> concat(axis = 0)
                    flatten -> dropout(0.3) -> linear(4)
                }
                train M {
                    data = fashion_mnist
                    loss = cross_entropy
                    optimizer = sgd(lr = 0.5)
                    batch = 4
                    clip_grad_norm = 100
                }
                """, 4, 4, 4, 3);
    }
}
