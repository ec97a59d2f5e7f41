package dev.sextant.javaagent;

import dev.sextant.dl4j.SextantListener;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.optimize.listeners.ScoreIterationListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Base64;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the agent does with the networks its instrumentation reports, called here the way the
 * advice calls it: {@code training(net)} before each {@code fit}, {@code listenersReplaced(net)}
 * after {@code setListeners}.
 */
class ListenerAttacherTest {
    private static final int IN = 5;
    private static final int OUT = 3;

    @TempDir
    Path dir;

    private final List<SextantListener> opened = new ArrayList<>();

    @AfterEach
    void closeListeners() {
        // Later listeners first: the first one owns the shared server.
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    private ListenerAttacher attacher(String argument) {
        AgentConfig c = AgentConfig.resolve(argument + ",runId=t,eventLog=" + dir.resolve("events.jsonl"),
                Map.of(), Map.of(), LocalDateTime.of(2024, 1, 1, 0, 0));
        return new ListenerAttacher(c);
    }

    private SextantListener listenerOf(ListenerAttacher a, Object net) {
        SextantListener l = a.listenerOf(net);
        if (l != null && !opened.contains(l)) {
            opened.add(l);
        }
        return l;
    }

    /** fit() as the instrumented network runs it: the hook first, then DL4J's own method. */
    private static void fit(ListenerAttacher a, MultiLayerNetwork net, DataSet batch) {
        a.training(net);
        net.fit(batch);
    }

    private static void fit(ListenerAttacher a, ComputationGraph net, DataSet batch) {
        a.training(net);
        net.fit(batch);
    }

    @Test
    void aTrainedNetworkGetsOneListenerBesideItsOwn() {
        ListenerAttacher a = attacher("port=-1");
        MultiLayerNetwork net = mlp(1);
        ScoreIterationListener own = new ScoreIterationListener(1000);
        net.setListeners(own);
        DataSet batch = batch(2);

        fit(a, net, batch);
        fit(a, net, batch);

        SextantListener sextant = listenerOf(a, net);
        assertNotNull(sextant);
        assertEquals(List.of(own, sextant), List.copyOf(net.getListeners()), "added beside the user's, once");
        assertEquals("MultiLayerNetwork-1", sextant.modelName());
        assertEquals("t", sextant.runId());
        assertEquals(dir.resolve("events-MultiLayerNetwork-1.jsonl"), sextant.eventLogPath());
    }

    @Test
    void setListenersDropsItAndTheHookPutsTheSameOneBack() {
        ListenerAttacher a = attacher("port=-1,every=1,fixedIntervals=true");
        MultiLayerNetwork net = mlp(1);
        DataSet batch = batch(2);
        fit(a, net, batch);
        SextantListener sextant = listenerOf(a, net);

        ScoreIterationListener replacement = new ScoreIterationListener(1000);
        net.setListeners(replacement);
        assertEquals(List.of(replacement), List.copyOf(net.getListeners()), "DL4J replaced the whole list");
        a.listenersReplaced(net);
        assertEquals(List.of(replacement, sextant), List.copyOf(net.getListeners()), "the same listener is back");

        fit(a, net, batch);
        assertEquals(1, count(net.getListeners(), sextant), "fit() after the repair adds nothing more");
        // It still samples: every=1, so the second fit (iteration 1) is the last step in the registry.
        assertTrue(sextant.registry().scrape().contains("sextant_step{model=\"MultiLayerNetwork-1\",run=\"t\"} 1.0"),
                sextant.registry().scrape());
    }

    @Test
    void aListenerListReplacedBetweenFitsIsRepairedAtTheNextFit() {
        ListenerAttacher a = attacher("port=-1");
        ComputationGraph graph = graph(3);
        DataSet batch = batch(2);
        fit(a, graph, batch);
        SextantListener sextant = listenerOf(a, graph);
        graph.setListeners(new ArrayList<>());  // without the setListeners hook (e.g. a path not instrumented)
        fit(a, graph, batch);
        assertEquals(1, count(graph.getListeners(), sextant));
    }

    @Test
    void networksThatNeverTrainGetNothing() {
        ListenerAttacher a = attacher("port=-1");
        MultiLayerNetwork net = mlp(1);
        net.setListeners(new ScoreIterationListener(1000));
        a.listenersReplaced(net);
        assertNull(a.listenerOf(net));
        assertEquals(1, net.getListeners().size());
        a.training(new Object());  // not a DL4J network: ignored, no exception
    }

    @Test
    void twoNetworksGetDistinctLabelsAndShareOneMetricsEndpoint() throws Exception {
        ListenerAttacher a = attacher("port=0,every=1,fixedIntervals=true");
        MultiLayerNetwork mlp = mlp(1);
        ComputationGraph graph = graph(3);
        DataSet batch = batch(2);
        for (int step = 0; step < 3; step++) {
            fit(a, mlp, batch);
        }
        fit(a, graph, batch);

        SextantListener first = listenerOf(a, mlp);
        SextantListener second = listenerOf(a, graph);
        assertEquals("MultiLayerNetwork-1", first.modelName());
        assertEquals("ComputationGraph-2", second.modelName());
        assertTrue(first.port() > 0, "the first listener serves");
        assertEquals(-1, second.port(), "the second starts no server of its own");
        assertSame(first.registry(), second.registry(), "one registry");
        assertEquals(first.metricsUrl(), a.metricsUrl());

        String text = get(a.metricsUrl());
        assertTrue(text.contains("sextant_step{model=\"MultiLayerNetwork-1\",run=\"t\"} 2.0"), text);
        assertTrue(text.contains("sextant_step{model=\"ComputationGraph-2\",run=\"t\"} 0.0"), text);
        assertTrue(text.contains("sextant_weight_norm{layer=\"hidden\",model=\"ComputationGraph-2\",param=\"W\""), text);
        assertTrue(Files.exists(dir.resolve("events-MultiLayerNetwork-1.jsonl")));
        assertTrue(Files.exists(dir.resolve("events-ComputationGraph-2.jsonl")));
    }

    @Test
    void theModelSettingIsThePrefixOfEveryLabel() {
        ListenerAttacher a = attacher("port=-1,model=resnet");
        MultiLayerNetwork one = mlp(1);
        MultiLayerNetwork two = mlp(2);
        fit(a, one, batch(2));
        fit(a, two, batch(2));
        assertEquals("resnet-1", listenerOf(a, one).modelName());
        assertEquals("resnet-2", listenerOf(a, two).modelName());
    }

    @Test
    void basicAuthGuardsTheSharedEndpoint() throws Exception {
        ListenerAttacher a = attacher("port=0,basicAuth=ann:pa:ss");
        MultiLayerNetwork net = mlp(1);
        fit(a, net, batch(2));
        listenerOf(a, net);
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(a.metricsUrl()));
        assertEquals(401, http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode());
        String token = Base64.getEncoder().encodeToString("ann:pa:ss".getBytes(StandardCharsets.UTF_8));
        assertEquals(200, http.send(request.header("Authorization", "Basic " + token).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());
    }

    @Test
    void theProfileSettingReachesTheBuilder() {
        ListenerAttacher plain = attacher("port=-1");
        ListenerAttacher full = attacher("port=-1,profile=full");
        MultiLayerNetwork one = mlp(1);
        MultiLayerNetwork two = mlp(2);
        fit(plain, one, batch(2));
        fit(full, two, batch(2));
        List<String> defaults = listenerOf(plain, one).probes().stream().map(p -> p.name()).toList();
        List<String> all = listenerOf(full, two).probes().stream().map(p -> p.name()).toList();
        assertEquals(List.of("progress", "weights"), defaults);
        assertTrue(all.containsAll(defaults) && all.size() > defaults.size(), all.toString());
    }

    @Test
    void aListenerThatCannotStartIsReportedOnceAndTheNetworkTrainsUnmonitored() throws Exception {
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ListenerAttacher a = attacher("port=" + taken.getLocalPort());
            MultiLayerNetwork net = mlp(1);
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try {
                fit(a, net, batch(2));
                fit(a, net, batch(2));
            } finally {
                System.setErr(stderr);
            }
            assertNull(a.listenerOf(net));
            assertTrue(net.getListeners().isEmpty());
            assertEquals(2, net.getIterationCount(), "training went on");
        }
        String messages = captured.toString(StandardCharsets.UTF_8);
        assertEquals(1, messages.lines().filter(l -> l.contains("MultiLayerNetwork-1: Sextant could not start")).count(),
                messages);
    }

    private static long count(Collection<TrainingListener> listeners, TrainingListener l) {
        return listeners.stream().filter(x -> x == l).count();
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        return r.body();
    }

    private static MultiLayerNetwork mlp(long seed) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(seed).updater(new Sgd(0.1)).weightInit(WeightInit.XAVIER).dataType(DataType.FLOAT)
                .list()
                .layer(new DenseLayer.Builder().nIn(IN).nOut(4).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(4).nOut(OUT)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }

    private static ComputationGraph graph(long seed) {
        ComputationGraph g = new ComputationGraph(new NeuralNetConfiguration.Builder()
                .seed(seed).updater(new Sgd(0.1)).weightInit(WeightInit.XAVIER).dataType(DataType.FLOAT)
                .graphBuilder()
                .addInputs("in")
                .addLayer("hidden", new DenseLayer.Builder().nIn(IN).nOut(4).activation(Activation.TANH).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(4).nOut(OUT)
                        .activation(Activation.SOFTMAX).build(), "hidden")
                .setOutputs("out")
                .build());
        g.init();
        return g;
    }

    private static DataSet batch(long seed) {
        Random r = new Random(seed);
        float[][] x = new float[8][IN];
        float[][] y = new float[8][OUT];
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < IN; j++) {
                x[i][j] = (float) r.nextGaussian();
            }
            y[i][r.nextInt(OUT)] = 1f;
        }
        return new DataSet(Nd4j.createFromArray(x), Nd4j.createFromArray(y));
    }
}
