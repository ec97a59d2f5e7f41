package dev.sextant.probe;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.List;

/**
 * The named segments of a model's flat parameter vector, in order. Gradients, updates and
 * copies of the parameters share this layout, so one {@link #view} serves them all.
 */
public final class ParamLayout {
    private final List<ParamSegment> segments;
    private final long size;

    public ParamLayout(List<ParamSegment> segments) {
        this.segments = List.copyOf(segments);
        long expected = 0;
        for (ParamSegment s : this.segments) {
            if (s.offset() != expected) {
                throw new IllegalArgumentException("segment " + s + " should start at " + expected
                        + ": segments must tile the flat vector in order");
            }
            expected += s.length();
        }
        this.size = expected;
    }

    public List<ParamSegment> segments() {
        return segments;
    }

    /** Total number of parameters. */
    public long size() {
        return size;
    }

    /** A view (no copy) of one segment of a flat vector laid out like the parameters. */
    public INDArray view(INDArray flat, ParamSegment s) {
        if (flat.length() != size) {
            throw new IllegalArgumentException("array has " + flat.length() + " elements, layout has " + size);
        }
        INDArray vector = flat.rank() == 1 ? flat : flat.reshape(flat.length());
        return vector.get(NDArrayIndex.interval(s.offset(), s.offset() + s.length()));
    }
}
