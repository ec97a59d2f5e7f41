package dev.sextant.linalg;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Flat-vector plumbing shared by the estimators: rank-1 views, dot products, unit roundoff. */
final class Vectors {
    private Vectors() {
    }

    /**
     * A rank-1 view of a contiguous vector of any shape ({@code [n]}, {@code [1, n]}, {@code [n, 1]}),
     * writing through to it.
     */
    static INDArray flat(INDArray x) {
        if (x.rank() == 1) {
            return x;
        }
        // enforceView: throws instead of silently copying when no view exists
        return x.reshape(x.ordering(), true, x.length());
    }

    /** xᵀy (BLAS dot on rank-1 views). */
    static double dot(INDArray x, INDArray y) {
        return Nd4j.getBlasWrapper().dot(flat(x), flat(y));
    }

    /** ‖x‖₂. */
    static double norm(INDArray x) {
        return x.norm2Number().doubleValue();
    }

    /** Unit roundoff u (half the machine epsilon) of a floating-point type. */
    static double unitRoundoff(DataType type) {
        switch (type) {
            case DOUBLE:
                return 0x1p-53;
            case FLOAT:
                return 0x1p-24;
            case HALF:
                return 0x1p-11;
            case BFLOAT16:
                return 0x1p-8;
            default:
                throw new IllegalArgumentException("curvature estimation needs a floating-point type, got " + type);
        }
    }
}
