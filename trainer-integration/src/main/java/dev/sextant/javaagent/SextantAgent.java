package dev.sextant.javaagent;

import java.lang.instrument.Instrumentation;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Zero-code attach: {@code java -javaagent:sextant-agent.jar=port=9404,every=50 -jar training.jar}.
 * Every DL4J {@code MultiLayerNetwork} and {@code ComputationGraph} the application trains gets a
 * {@link dev.sextant.dl4j.SextantListener} beside its own listeners; all of them are served at one
 * {@code /metrics} endpoint per JVM. Settings: {@link AgentConfig}.
 *
 * <p>At JVM start ({@link #premain}) a setting that cannot be used stops the JVM with exit code 1
 * and a message on standard error naming the option, the value and what is allowed, before the
 * application's {@code main} runs. (An exception thrown from {@code premain} would also stop it, but
 * as a native abort, exit code 134, with the message inside a stack trace and JVM frames.) Attached to
 * a running JVM ({@link #agentmain}), the same error is printed and thrown to the attaching tool,
 * and the running JVM is left alone.
 */
public final class SextantAgent {
    /** Exit code of a JVM stopped by a bad setting. */
    static final int BAD_SETTING_EXIT_CODE = 1;

    private static final AtomicBoolean INSTALLED = new AtomicBoolean();

    private SextantAgent() {
    }

    /** Entry point for {@code -javaagent:} at JVM start. */
    public static void premain(String argument, Instrumentation instrumentation) {
        AgentConfig config;
        try {
            config = configure(argument);
        } catch (AgentConfigException e) {
            AgentLog.info("bad setting: " + e.getMessage());
            AgentLog.info("the JVM stops here so that training does not run unmonitored; fix the setting or "
                    + "remove -javaagent");
            System.exit(BAD_SETTING_EXIT_CODE);
            return;
        }
        start(config, instrumentation);
    }

    /**
     * Entry point for attaching to a running JVM ({@code VirtualMachine.attach(pid).loadAgent(jar, argument)}).
     * Networks already training are attached at their next {@code fit(...)} call.
     */
    public static void agentmain(String argument, Instrumentation instrumentation) {
        try {
            start(configure(argument), instrumentation);
        } catch (RuntimeException e) {
            AgentLog.info("not attached: " + e.getMessage());
            throw e;
        }
    }

    private static AgentConfig configure(String argument) {
        StartupCheck.checkSextantOnce(ClassLoader.getSystemClassLoader());
        AgentConfig config = AgentConfig.resolve(argument, System.getenv(), systemProperties(), LocalDateTime.now());
        StartupCheck.verify(config, System::getProperty);
        return config;
    }

    private static void start(AgentConfig config, Instrumentation instrumentation) {
        if (!INSTALLED.compareAndSet(false, true)) {
            throw new IllegalStateException("the Sextant agent is already installed in this JVM");
        }
        NetworkHook.configure(config);
        NetworkInstrumentation.install(instrumentation);
        AgentLog.info("ready: " + config.describe() + "; attaches at the first fit() of each DL4J network");
    }

    private static Map<String, String> systemProperties() {
        java.util.Properties p = System.getProperties();
        Map<String, String> out = new java.util.HashMap<>();
        for (String name : p.stringPropertyNames()) {
            out.put(name, p.getProperty(name));
        }
        return out;
    }
}
