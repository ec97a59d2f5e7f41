package dev.sextant.dl4j;

import dev.sextant.schedule.Profile;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import javax.management.ObjectName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Soak: 20,000 steps with every probe of the full profile at aggressive intervals. After warm-up,
 * heap, JavaCPP off-heap memory and the number of exported series stay flat.
 */
class MemoryStaysFlatTest {
    static final int STEPS = 20_000;
    /** Long enough for the live page's ring buffer (2000 probe calls) and the JIT to fill up. */
    static final int WARM_UP = 5_000;

    @TempDir
    Path dir;

    /**
     * @param heap      live heap bytes, without ND4J's deallocation-map table (see {@link #usage})
     * @param offHeap   JavaCPP's count of native bytes allocated
     * @param series    exported sextant_ series
     * @param instances live instances per class of Sextant, ND4J and JavaCPP
     */
    record Usage(long heap, long offHeap, long series, Map<String, Long> instances) {
    }

    @Test
    void heapOffHeapAndSeriesDoNotGrow() {
        // 50-64-10: 3,914 parameters, 31 kB per float64 parameter-sized array, so one leaked array
        // per gradient-noise call (1,500 calls after warm-up) would add 47 MB, per weight sample 470 MB.
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
                .updater(new Adam(1e-3)).weightInit(WeightInit.XAVIER).dataType(DataType.FLOAT).list()
                .layer(new DenseLayer.Builder().nIn(50).nOut(64).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(64).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        List<DataSet> batches = batches();
        Usage warm;
        Usage end;
        try (SextantListener s = SextantListener.builder().fixedIntervals().profile(Profile.FULL).every(1)
                .noiseEvery(10).sharpnessEvery(100).traceEvery(200).port(0)
                .eventLog(dir.resolve("soak.jsonl")).eventLogMaxBytes(1 << 20).eventLogKeep(1).build()) {
            net.addListeners(s);
            for (int step = 0; step < WARM_UP; step++) {
                net.fit(batches.get(step % batches.size()));
            }
            warm = usage(s);
            for (int step = WARM_UP; step < STEPS; step++) {
                net.fit(batches.get(step % batches.size()));
            }
            end = usage(s);
        }
        System.out.printf("soak: after warm-up heap %.1f MB, off-heap %.1f MB, %d series; after %d steps heap %.1f MB,"
                        + " off-heap %.1f MB, %d series%n", warm.heap / 1e6, warm.offHeap / 1e6, warm.series, STEPS,
                end.heap / 1e6, end.offHeap / 1e6, end.series);
        assertEquals(warm.series, end.series, "exported series");
        // No class of Sextant, ND4J or JavaCPP gains live instances (slack 64 for objects in flight).
        List<String> grown = new ArrayList<>();
        end.instances.forEach((cls, n) -> {
            long before = warm.instances.getOrDefault(cls, 0L);
            if (n > before + 64) {
                grown.add(cls + " " + before + " -> " + n);
            }
        });
        assertTrue(grown.isEmpty(), "live instances grew: " + grown);
        // Tolerances: 8 MB heap and 16 MB off-heap, well under what one leaked array per noise call
        // would add (47 MB), above the jitter of a post-GC reading.
        assertTrue(end.heap - warm.heap < 8_000_000, "heap grew " + (end.heap - warm.heap) + " bytes");
        assertTrue(end.offHeap - warm.offHeap < 16_000_000, "off-heap grew " + (end.offHeap - warm.offHeap) + " bytes");
    }

    /**
     * Live memory: ND4J frees an array's native buffer from a reference queue on its own threads,
     * and its bookkeeping objects stay on the heap until then (hundreds of MB right after a GC
     * under heavy array churn, gone a second or two later). So collect until the heap stops
     * shrinking before reading it. ND4J keeps those references in a ConcurrentHashMap whose table
     * keeps the capacity of its largest backlog (measured: 8.5 MB after warm-up, 16.9 MB after
     * 20,000 steps, with every other class flat), so the table arrays are left out of the heap figure.
     */
    private static Usage usage(SextantListener s) {
        long heap = Long.MAX_VALUE;
        for (int i = 0; i < 40; i++) {
            System.gc();
            long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (Math.abs(heap - now) < 1_000_000) {
                break;
            }
            heap = now;
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        Map<String, Long> instances = new HashMap<>();
        long mapTables = 0;
        for (String line : histogram().lines().toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 4 || !f[0].endsWith(":")) {
                continue;
            }
            String cls = f[3];
            if (cls.equals("[Ljava.util.concurrent.ConcurrentHashMap$Node;")) {
                mapTables += Long.parseLong(f[2]);
            } else if (cls.startsWith("dev.sextant.") || cls.startsWith("org.nd4j.") || cls.startsWith("org.bytedeco.")) {
                instances.put(cls, Long.parseLong(f[1]));
            }
        }
        String text = s.registry().scrape();
        long series = text.lines().filter(l -> l.startsWith("sextant_")).count();
        return new Usage(heap - mapTables, Pointer.totalBytes(), series, instances);
    }

    /** The JVM's live-object histogram (what {@code jcmd <pid> GC.class_histogram} prints). */
    private static String histogram() {
        try {
            return (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {null}, new String[] {String[].class.getName()});
        } catch (Exception e) {
            throw new AssertionError("cannot read the class histogram", e);
        }
    }

    private static List<DataSet> batches() {
        Random r = new Random(2);
        List<DataSet> out = new ArrayList<>();
        for (int k = 0; k < 20; k++) {
            float[][] x = new float[32][50];
            float[][] y = new float[32][10];
            for (int i = 0; i < 32; i++) {
                for (int j = 0; j < 50; j++) {
                    x[i][j] = (float) r.nextGaussian();
                }
                y[i][Math.floorMod((int) (x[i][0] * 3), 10)] = 1;
            }
            out.add(new DataSet(Nd4j.create(x), Nd4j.create(y)));
        }
        return out;
    }
}
