package org.nnlang.runtime.train;

import org.nnlang.runtime.data.DataSource;

/**
 * The settings of a {@code train} block, checked by the compiler.
 *
 * @param device   {@code cpu}, {@code gpu}, {@code fpga} or {@code auto}
 * @param schedule the learning rate of every step; the trainer writes it into the plan's {@code learning_rate}
 */
public record TrainConfig(DataSource data, int batch, boolean shuffle, int epochs, long seed, String device,
                          LearningRateSchedule schedule) {
    public TrainConfig withEpochs(int newEpochs) {
        return new TrainConfig(data, batch, shuffle, newEpochs, seed, device, schedule);
    }

    public TrainConfig withDevice(String newDevice) {
        return new TrainConfig(data, batch, shuffle, epochs, seed, newDevice, schedule);
    }

    public TrainConfig withData(DataSource newData) {
        return new TrainConfig(newData, batch, shuffle, epochs, seed, device, schedule);
    }
}
