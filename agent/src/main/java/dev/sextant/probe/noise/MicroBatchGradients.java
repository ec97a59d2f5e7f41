package dev.sextant.probe.noise;

import dev.sextant.probe.ParamLayout;
import dev.sextant.probe.ParamSegment;
import dev.sextant.probe.ProbedModel;
import dev.sextant.probe.StepView;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * The gradients of k micro-batches of the current batch, stacked as the rows of a k×P matrix,
 * and their first two moments across micro-batches.
 *
 * <p><b>Micro-batches.</b> With B examples in the batch, micro-batch i is rows
 * {@code [i·b, (i+1)·b)}, {@code b = ⌊B/k⌋}. When k does not divide B the last {@code B − k·b}
 * rows are left out, so the "big batch" is the {@code k·b} rows that the micro-batches cover and
 * its gradient is exactly the mean ḡ of the k micro-batch gradients.
 *
 * <p><b>Where and how the gradients are evaluated.</b> All k gradients come from
 * {@link ProbedModel#gradient} in the model's own data type (float64 by default), at the
 * parameters the batch was drawn for: {@code w(t−1) = w(t) + Δw}, the point where training
 * computed this step's gradient. Evaluating at {@code w(t)} instead would measure the batch after
 * the step already moved along the batch's own noise (the batch gradient shrinks by
 * {@code (I − ηH)}), which biases the noise estimates by O(ηλ), up to a factor ~2 at the edge of
 * stability. The float32 parameters and update are cast to the evaluation type explicitly
 * (into buffers of that type) before they are added. {@link StepView#rawGradient()} is
 * deliberately not used as the big-batch gradient: it is float32, comes from training's own
 * dropout mask rather than the evaluation copy's, and was computed by a different code path, and
 * the noise estimators subtract nearly equal squared norms, where any such mismatch shows up as
 * noise that is not there.
 *
 * <p><b>Buffers.</b> The k×P matrix (k·P values of the evaluation type) and the evaluation
 * point are allocated once and reused while P and the data type stay the same. After
 * {@link #evaluate} the matrix holds the deviations {@code gᵢ − ḡ}: it is centred in place.
 * Not thread-safe: one instance per probe.
 */
public final class MicroBatchGradients {
    private final int count;
    private DataType type;
    private long[] shape;
    private INDArray point;
    private INDArray shift;
    private INDArray rows;
    private INDArray mean;
    private INDArray squaredDeviationSums;
    private int microBatchSize;

    /**
     * @param count k, the number of micro-batches, at least 2
     */
    public MicroBatchGradients(int count) {
        this.count = checkCount("microBatches", count);
    }

    /** Checks a micro-batch count, naming {@code field} in the message. */
    static int checkCount(String field, int k) {
        if (k < 2) {
            throw new IllegalArgumentException(field + " = " + k + ": must be at least 2 (a variance across"
                    + " micro-batches needs two of them); it must also not exceed the batch size at run time");
        }
        return k;
    }

    /** k. */
    public int count() {
        return count;
    }

    /**
     * Evaluates the k micro-batch gradients of the step's batch and their moments.
     *
     * @return {@code false}, leaving the previous results in place, when the batch has fewer than k
     *         examples (no micro-batch split is possible)
     */
    public boolean evaluate(StepView step) {
        ProbedModel model = step.model();
        int batch = model.batchSize();
        if (batch < count) {
            return false;
        }
        int b = batch / count;
        INDArray params = step.params();
        allocate(model.dataType(), params.shape());
        point.assign(params);
        INDArray update = step.update();
        if (update != null) {
            shift.assign(update);
            point.addi(shift);
        }
        for (int i = 0; i < count; i++) {
            model.gradient(point, i * b, (i + 1) * b, row(i));
        }
        // ḡ = (1/k) Σᵢ gᵢ, then the matrix becomes D with rows dᵢ = gᵢ − ḡ, and
        // Σᵢ dᵢⱼ² per parameter j from the column norms of D (no k×P temporary).
        mean = rows.mean(0);
        rows.subiRowVector(mean);
        squaredDeviationSums = rows.norm2(0);
        squaredDeviationSums.muli(squaredDeviationSums);
        microBatchSize = b;
        return true;
    }

    private void allocate(DataType t, long[] paramShape) {
        if (rows != null && t == type && Arrays.equals(paramShape, shape)) {
            return;
        }
        long p = 1;
        for (long d : paramShape) {
            p *= d;
        }
        type = t;
        shape = paramShape.clone();
        point = Nd4j.create(t, paramShape);
        shift = Nd4j.create(t, paramShape);
        rows = Nd4j.create(t, new long[]{count, p}, 'c');
    }

    /**
     * Row i of the matrix as a view for the model to write into: {@code [1, P]} when the parameters
     * are a {@code [1, P]} row (DL4J's layout), else a vector of length P.
     */
    private INDArray row(int i) {
        return shape.length == 2 && shape[0] == 1 ? rows.getRow(i, true) : rows.getRow(i);
    }

    /** b = ⌊B/k⌋, examples per micro-batch of the last evaluation. */
    public int microBatchSize() {
        return microBatchSize;
    }

    /** k·b, the examples the k micro-batches cover together (the "big batch"). */
    public int coveredRows() {
        return count * microBatchSize;
    }

    /** ḡ, the mean of the k micro-batch gradients (length P): the gradient of the covered rows. */
    public INDArray mean() {
        return mean;
    }

    /** D, the k×P matrix of deviations {@code gᵢ − ḡ} (a reused buffer). */
    public INDArray deviations() {
        return rows;
    }

    /** {@code Σᵢ (gᵢⱼ − ḡⱼ)²} for each parameter j (length P). */
    public INDArray squaredDeviationSums() {
        return squaredDeviationSums;
    }

    /** Unit roundoff of the evaluation type: the relative resolution of the gradients. */
    public double unitRoundoff() {
        return switch (type) {
            case DOUBLE -> 0x1.0p-53;
            case FLOAT -> 0x1.0p-24;
            case HALF -> 0x1.0p-11;
            case BFLOAT16 -> 0x1.0p-8;
            default -> throw new IllegalStateException("gradients of type " + type + " are not floating point");
        };
    }

    /** The sum of a length-P vector's elements over one parameter segment. */
    static double segmentSum(ParamLayout layout, INDArray perParameter, ParamSegment s) {
        return layout.view(perParameter, s).sumNumber().doubleValue();
    }
}
