package dev.sextant.dl4j.spark;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

import java.io.Serializable;

/**
 * Makes every training step take at least {@code millis}: the tasks of one averaging round then
 * overlap for certain, so an executor with two cores trains in both of its worker slots.
 */
final class SlowStepListener extends BaseTrainingListener implements Serializable {
    private static final long serialVersionUID = 1L;
    private final long millis;

    SlowStepListener(long millis) {
        this.millis = millis;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
