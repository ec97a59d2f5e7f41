package dev.sextant.dl4j;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 50 clients scraping /metrics in a loop while the network trains: every scrape answers with the
 * metrics, and training ends exactly where it ends unscraped (a scrape reads cached values and
 * never touches the network). How much scraping costs in step time is measured in the benchmark,
 * not here.
 */
class ScrapeLoadTest {
    static final int CLIENTS = 50;

    @Test
    void fiftyScrapersGetAnswersAndDoNotChangeTraining() throws Exception {
        INDArray unscraped = train(false);
        INDArray scraped = train(true);
        assertEquals(unscraped, scraped);
    }

    private static INDArray train(boolean scrape) throws Exception {
        Nd4j.getRandom().setSeed(5);
        MultiLayerNetwork net = TinyNets.mlp(12);
        List<DataSet> batches = TinyNets.batches(13, 200, 16);
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger wrong = new AtomicInteger();
        List<String> errors = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try (SextantListener s = SextantListener.builder().fixedIntervals().every(1).port(0).eventLog(null).build()) {
            net.addListeners(s);
            if (scrape) {
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                HttpRequest get = HttpRequest.newBuilder(URI.create(s.metricsUrl())).timeout(Duration.ofSeconds(10)).build();
                for (int c = 0; c < CLIENTS; c++) {
                    clients.submit(() -> {
                        // bounded: stops when training is done, or after 2,000 requests per client
                        for (int i = 0; i < 2_000 && !done.get(); i++) {
                            try {
                                HttpResponse<String> r = http.send(get, HttpResponse.BodyHandlers.ofString());
                                // the probe counters exist from build(); gauges from the first sample on
                                if (r.statusCode() == 200 && r.body().contains("sextant_probe_samples_total")) {
                                    answered.incrementAndGet();
                                } else {
                                    wrong.incrementAndGet();
                                }
                            } catch (Exception e) {
                                wrong.incrementAndGet();
                                errors.add(e.toString());
                            }
                        }
                    });
                }
                // let the clients get going before training starts
                while (answered.get() < CLIENTS && wrong.get() == 0) {
                    Thread.sleep(10);
                }
            }
            long[] stepNanos = new long[batches.size()];
            for (int i = 0; i < batches.size(); i++) {
                long t0 = System.nanoTime();
                net.fit(batches.get(i));
                stepNanos[i] = System.nanoTime() - t0;
            }
            java.util.Arrays.sort(stepNanos);
            // Printed, not asserted: timing belongs to the benchmark (shared, noisy machines).
            System.out.printf("scrape load: median step %.3f ms %s%n", stepNanos[stepNanos.length / 2] / 1e6,
                    scrape ? "with " + CLIENTS + " scrapers" : "unscraped");
            done.set(true);
            clients.shutdown();
            assertTrue(clients.awaitTermination(60, TimeUnit.SECONDS), "scrapers stopped");
        } finally {
            clients.shutdownNow();
        }
        if (scrape) {
            assertEquals(0, wrong.get(), "failed or wrong scrapes: " + errors.stream().distinct().toList());
            assertTrue(answered.get() >= CLIENTS, "scrapes answered: " + answered.get());
            System.out.println("scrape load: " + answered.get() + " scrapes answered during 200 training steps");
        }
        return net.params().dup();
    }
}
