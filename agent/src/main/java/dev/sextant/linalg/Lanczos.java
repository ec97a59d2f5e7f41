package dev.sextant.linalg;

import org.apache.commons.math3.linear.EigenDecomposition;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;
import java.util.Random;

/**
 * The algebraically largest eigenvalues of a symmetric operator by the Lanczos method with full
 * reorthogonalisation (Golub &amp; Van Loan, Matrix Computations, 4th ed., Alg. 10.1.1 with §10.3.1
 * complete reorthogonalisation; Gram–Schmidt applied twice, "twice is enough", Parlett §6.9).
 *
 * <p>Iteration j applies the operator once to the Lanczos vector {@code q_j}, orthogonalises the
 * result against every previous {@code q_i}, and extends the tridiagonal matrix
 * {@code T = tridiag(β, α, β)} with {@code α_j = q_jᵀAq_j}, {@code β_j = ‖r_j‖}. The eigenvalues of T
 * (Ritz values, solved on the host: T is at most {@code maxIterations} square) approximate the
 * extreme eigenvalues of A from the inside. Unlike power iteration, which finds the eigenvalue of
 * largest <em>magnitude</em> (a large negative curvature at a saddle), the top Ritz values converge
 * to the algebraically largest eigenvalues.
 *
 * <p>Stops when the top-k Ritz values change by less than {@code tolerance} relative between
 * iterations (PyHessian's rule and default, 1e-3; a bound on the change, not on the error: on
 * well-separated eigenvalues the error is far smaller), when the Krylov space is exhausted
 * (β below rounding), or after {@code maxIterations} (default 100, at most the dimension). Then one
 * more product gives the explicit residual {@code ‖Ay − θy‖/|θ|} of the top Ritz pair (θ, y).
 *
 * <p>Memory: the Lanczos vectors are rows of one {@code [capacity × n]} array grown by doubling
 * up to {@code maxIterations + 1} rows (a 94k-parameter model in float64 at 20 iterations:
 * 15 MB), plus one work vector, allocated for each run and let go at its end: a curvature probe
 * runs every few hundred steps, where the allocation costs nothing measurable, and between runs
 * it would otherwise hold 17 or more parameter-sized buffers for nothing. Not thread-safe.
 */
public final class Lanczos {
    /** PyHessian's relative tolerance on the change of the top eigenvalues. */
    public static final double DEFAULT_TOLERANCE = 1e-3;
    /** PyHessian's iteration limit. */
    public static final int DEFAULT_MAX_ITERATIONS = 100;
    private static final int INITIAL_CAPACITY = 16;

    private final int topK;
    private final double tolerance;
    private final int maxIterations;
    private final Random seeds;
    private final RandomVectors random = new RandomVectors();

    private INDArray basis;
    private INDArray r;

    /**
     * The outcome of a run.
     *
     * @param ritzValues top-k Ritz values, algebraically largest first (fewer when the dimension is smaller than k)
     * @param topVector  unit Ritz vector of the largest Ritz value, rank 1, a new array (keep it for a warm start);
     *                   {@code null} when the operator returned NaN or infinity (then every value is NaN)
     * @param residual   ‖A y − θ y‖ / |θ| of the top pair, measured with one extra product
     * @param iterations Lanczos iterations (size of T)
     * @param products   operator applications, the residual's included
     * @param converged  whether the tolerance was met (or the Krylov space exhausted) before the iteration limit
     */
    public record Result(double[] ritzValues, INDArray topVector, double residual, int iterations, int products,
                         boolean converged) {

        /** The largest Ritz value. */
        public double top() {
            return ritzValues[0];
        }
    }

    /**
     * @param topK          number of top eigenvalues whose convergence is tracked and returned, in [1, maxIterations]
     * @param tolerance     relative change of the top-k Ritz values between iterations that ends the run, in (0, 1)
     * @param maxIterations iteration limit, in [1, 10000]; the dimension also caps it
     * @param seed          seed of the random start vector used when no warm start is given
     */
    public Lanczos(int topK, double tolerance, int maxIterations, long seed) {
        this.maxIterations = Bounds.inRange("maxIterations", maxIterations, 1, 10_000);
        this.topK = Bounds.inRange("topK", topK, 1, maxIterations);
        this.tolerance = Bounds.inOpenRange("tolerance", tolerance, 0, 1);
        this.seeds = new Random(seed);
    }

    /** Top-1 with PyHessian's defaults. */
    public Lanczos(long seed) {
        this(1, DEFAULT_TOLERANCE, DEFAULT_MAX_ITERATIONS, seed);
    }

    /**
     * Runs Lanczos on {@code op} from {@code start} (any non-zero vector of the operator's
     * dimension, e.g. the previous top Ritz vector), or from a seeded Gaussian vector when
     * {@code start} is {@code null}, zero, non-finite or of another length.
     */
    public Result run(SymmetricOperator op, INDArray start) {
        try {
            return iterate(op, start);
        } finally {
            basis = null;
            r = null;
        }
    }

    private Result iterate(SymmetricOperator op, INDArray start) {
        long n = op.dimension();
        int limit = (int) Math.min(maxIterations, n);
        int k = Math.min(topK, limit);
        DataType type = op.dataType();
        prepare(n, type);
        double roundoff = Vectors.unitRoundoff(type);

        INDArray q0 = row(0);
        double startNorm = start == null || start.length() != n ? 0 : Vectors.norm(start);
        if (startNorm > 0 && Double.isFinite(startNorm)) {
            q0.assign(Vectors.flat(start));
        } else {
            random.gaussian(q0, seeds.nextLong());
        }
        q0.divi(Vectors.norm(q0));

        double[] alpha = new double[limit];
        double[] beta = new double[limit];
        double[] previous = null;
        Tridiagonal eig = null;
        int m = 0;
        int products = 0;
        boolean converged = false;
        double scaleT = 0;
        for (int j = 0; j < limit; j++) {
            INDArray q = row(j);
            op.apply(q, r);
            products++;
            alpha[j] = Vectors.dot(q, r);
            if (!Double.isFinite(alpha[j])) {
                return nonFinite(k, j + 1, products);
            }
            orthogonalise(j + 1);
            orthogonalise(j + 1);
            beta[j] = Vectors.norm(r);
            if (!Double.isFinite(beta[j])) {
                return nonFinite(k, j + 1, products);
            }
            m = j + 1;
            eig = Tridiagonal.solve(alpha, beta, m);
            double[] top = eig.top(k);
            scaleT = Math.max(scaleT, Math.abs(alpha[j]) + beta[j] + (j > 0 ? beta[j - 1] : 0));
            if (previous != null && previous.length == k && top.length == k && maxRelativeChange(previous, top) < tolerance) {
                converged = true;
                break;
            }
            previous = top;
            if (!(beta[j] > 1000 * roundoff * scaleT)) {
                // r vanished: span(q_0..q_j) is invariant and the Ritz values are eigenvalues
                converged = true;
                break;
            }
            if (j + 1 < limit) {
                ensureCapacity(j + 2, n, type);
                row(j + 1).assign(r).divi(beta[j]);
            }
        }
        if (m == limit && !converged && limit == n) {
            converged = true;   // a full Krylov basis: T is similar to A
        }

        // top Ritz vector y = Q_mᵀ s (s: eigenvector of T), its explicit residual with one more product
        INDArray s = Nd4j.create(eig.vector(0), new long[]{m, 1}, type);
        INDArray y = Nd4j.create(type, n, 1);
        Nd4j.gemm(rows(m), s, y, true, false, 1.0, 0.0);
        INDArray yFlat = y.reshape(n);
        yFlat.divi(Vectors.norm(yFlat));
        double theta = eig.value(0);
        op.apply(yFlat, r);
        products++;
        double residual = Vectors.norm(r.subi(yFlat.mul(theta))) / Math.abs(theta);
        return new Result(eig.top(k), yFlat, residual, m, products, converged);
    }

    /** The operator produced NaN or infinity (a diverged loss): NaN values, no vector. */
    private static Result nonFinite(int k, int iterations, int products) {
        double[] values = new double[k];
        Arrays.fill(values, Double.NaN);
        return new Result(values, null, Double.NaN, iterations, products, false);
    }

    /** r ← r − Q_{0..count−1}ᵀ (Q_{0..count−1} r): classical Gram–Schmidt as two matrix-vector products. */
    private void orthogonalise(int count) {
        INDArray q = rows(count);
        INDArray column = r.reshape(r.length(), 1);
        INDArray coefficients = Nd4j.gemm(q, column, false, false);
        Nd4j.gemm(q, coefficients, column, true, false, -1.0, 1.0);
    }

    private static double maxRelativeChange(double[] before, double[] after) {
        double scale = 0;
        for (double a : after) {
            scale = Math.max(scale, Math.abs(a));
        }
        double change = 0;
        for (int i = 0; i < after.length; i++) {
            double denominator = Math.max(Math.abs(after[i]), Math.max(1e-10 * scale, Double.MIN_NORMAL));
            change = Math.max(change, Math.abs(after[i] - before[i]) / denominator);
        }
        return change;
    }

    /** A new basis (the first rows; grown by {@link #ensureCapacity}) and work vector for one run. */
    private void prepare(long n, DataType type) {
        basis = Nd4j.create(type, Math.min(INITIAL_CAPACITY, Math.min(maxIterations, n) + 1), n);
        r = Nd4j.create(type, n);
    }

    private void ensureCapacity(int needed, long n, DataType type) {
        if (basis.rows() >= needed) {
            return;
        }
        int capacity = (int) Math.min(Math.max(needed, 2L * basis.rows()), Math.min(maxIterations, n) + 1);
        INDArray grown = Nd4j.create(type, capacity, n);
        grown.get(NDArrayIndex.interval(0, basis.rows()), NDArrayIndex.all()).assign(basis);
        basis = grown;
    }

    private INDArray row(int i) {
        return basis.getRow(i);
    }

    private INDArray rows(int count) {
        return basis.get(NDArrayIndex.interval(0, count), NDArrayIndex.all());
    }

    /** Eigen-decomposition of the m×m symmetric tridiagonal T on the host, eigenvalues sorted descending. */
    private static final class Tridiagonal {
        private final double[] values;
        private final double[][] vectors;

        private Tridiagonal(double[] values, double[][] vectors) {
            this.values = values;
            this.vectors = vectors;
        }

        static Tridiagonal solve(double[] alpha, double[] beta, int m) {
            if (m == 1) {
                return new Tridiagonal(new double[]{alpha[0]}, new double[][]{{1.0}});
            }
            EigenDecomposition e = new EigenDecomposition(Arrays.copyOf(alpha, m), Arrays.copyOf(beta, m - 1));
            double[] raw = e.getRealEigenvalues();
            Integer[] order = new Integer[m];
            for (int i = 0; i < m; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Double.compare(raw[b], raw[a]));
            double[] values = new double[m];
            double[][] vectors = new double[m][];
            for (int i = 0; i < m; i++) {
                values[i] = raw[order[i]];
                vectors[i] = e.getEigenvector(order[i]).toArray();
            }
            return new Tridiagonal(values, vectors);
        }

        double value(int i) {
            return values[i];
        }

        double[] vector(int i) {
            return vectors[i];
        }

        double[] top(int k) {
            return Arrays.copyOf(values, Math.min(k, values.length));
        }
    }
}
