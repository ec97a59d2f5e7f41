package dev.sextant.javaagent;

import com.sun.net.httpserver.HttpsConfigurator;
import dev.sextant.dl4j.SextantListener;
import dev.sextant.schedule.Profile;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.nd4j.linalg.api.buffer.DataType;

import javax.net.ssl.SSLContext;
import java.security.NoSuchAlgorithmException;

/**
 * Builds one {@link SextantListener} per network from the agent's settings. All listeners of the
 * JVM share one registry and one {@code /metrics} server: the first listener built starts the
 * server (host, port, basic auth, HTTPS, and the live page, which therefore shows that network)
 * and owns the registry; every later one is built with {@code registry(shared)} and
 * {@code port(-1)}. If the first build fails, the next one tries again.
 */
final class ListenerFactory {
    private final AgentConfig config;
    private PrometheusMeterRegistry shared;
    private String metricsUrl;

    ListenerFactory(AgentConfig config) {
        this.config = config;
    }

    /** A listener for the network labelled {@code model}; throws what the builder throws. */
    SextantListener create(String model) {
        SextantListener.Builder b = SextantListener.builder()
                .runId(config.runId())
                .model(model)
                .eventLog(config.eventLogFor(model));
        apply(config.listener(), b);
        if (shared != null) {
            return b.registry(shared).port(-1).build();
        }
        b.host(config.host()).port(config.port());
        if (config.basicAuth() != null) {
            b.basicAuth(config.basicAuth().user(), config.basicAuth().password());
        }
        if (config.https()) {
            b.https(defaultHttps());
        }
        SextantListener first = b.build();
        shared = first.registry();
        metricsUrl = first.metricsUrl();
        return first;
    }

    /** Passes on each setting that was given; the others keep the builder's defaults. */
    static void apply(ListenerSettings s, SextantListener.Builder b) {
        if (s.profile() != null) {
            b.profile(Profile.valueOf(s.profile().name()));
        }
        if (s.every() != null) {
            b.every(s.every());
        }
        if (s.noiseEvery() != null) {
            b.noiseEvery(s.noiseEvery());
        }
        if (s.sharpnessEvery() != null) {
            b.sharpnessEvery(s.sharpnessEvery());
        }
        if (s.traceEvery() != null) {
            b.traceEvery(s.traceEvery());
        }
        if (s.overheadBudget() != null) {
            b.overheadBudget(s.overheadBudget());
        }
        if (Boolean.TRUE.equals(s.fixedIntervals())) {
            b.fixedIntervals();
        }
        if (s.probeDataType() != null) {
            b.probeDataType(s.probeDataType() == ProbeDataType.FLOAT ? DataType.FLOAT : DataType.DOUBLE);
        }
        if (s.history() != null) {
            b.history(s.history());
        }
        if (s.eventLogMaxBytes() != null) {
            b.eventLogMaxBytes(s.eventLogMaxBytes());
        }
        if (s.eventLogKeep() != null) {
            b.eventLogKeep(s.eventLogKeep());
        }
    }

    /** The shared endpoint's URL, or null before the first listener or when serving is off. */
    String metricsUrl() {
        return metricsUrl;
    }

    /** The registry every listener writes to, or null before the first listener. */
    PrometheusMeterRegistry registry() {
        return shared;
    }

    /** HTTPS with the JVM's default SSL context: its key store is {@code -Djavax.net.ssl.keyStore}. */
    private static HttpsConfigurator defaultHttps() {
        try {
            return new HttpsConfigurator(SSLContext.getDefault());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("https: the JVM has no default SSL context", e);
        }
    }
}
