package dev.sextant.demo;

import java.nio.file.Path;

/**
 * What a training run did.
 *
 * @param steps         training steps taken: mini-batches, of all workers
 * @param epochs        completed passes over the training set
 * @param seconds       wall-clock time of the training loop (probes included, test evaluation not)
 * @param examples      training examples processed
 * @param initialLoss   mean mini-batch loss over the first {@link Trainer#LOSS_WINDOW} steps
 * @param finalLoss     mean mini-batch loss over the last {@link Trainer#LOSS_WINDOW} steps
 * @param testAccuracy  accuracy on the held-out set
 * @param testName      name of the held-out set
 * @param testSize      examples in the held-out set
 * @param metricsUrl    the metrics endpoint it served, or null
 * @param eventLog      the event log it wrote, or null
 * @param workers       workers that trained at once (1: one network; N: ParallelWrapper workers)
 * @param rounds        rounds: one mini-batch for every worker (for one network, the steps); the last
 *                      round of an epoch or of the step budget may have fewer
 */
public record TrainResult(long steps, int epochs, double seconds, long examples, double initialLoss,
                          double finalLoss, double testAccuracy, String testName, int testSize,
                          String metricsUrl, Path eventLog, int workers, long rounds) {
}
