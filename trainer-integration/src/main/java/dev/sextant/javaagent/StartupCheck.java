package dev.sextant.javaagent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URL;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;

/**
 * Checks at JVM start that what the agent will need at the first training step is there: one copy
 * of Sextant on the class path, the metrics address can be bound, the event-log directory can be
 * written, HTTPS has a key store.
 * Leaves nothing behind (the test socket is closed, no directory is created), so an agent in a JVM
 * that never trains a network still does nothing.
 */
final class StartupCheck {
    private StartupCheck() {
    }

    /**
     * @param systemProperty reads a system property (the JVM's, or a test's map)
     * @throws AgentConfigException naming the option to change
     */
    static void verify(AgentConfig config, java.util.function.UnaryOperator<String> systemProperty) {
        if (config.port() >= 0) {
            checkBindable(config.host(), config.port());
        }
        if (config.eventLog() != null) {
            checkWritableDirectory(config.eventLog());
        }
        if (config.https() && systemProperty.apply("javax.net.ssl.keyStore") == null) {
            throw new AgentConfigException("https=true needs a key store: add -Djavax.net.ssl.keyStore=<file> and "
                    + "-Djavax.net.ssl.keyStorePassword=<password> to the java command");
        }
    }

    /**
     * The agent jar is appended to the application's class path, after the application's entries: a
     * Sextant there (another version, without relocated dependencies) would be loaded instead of the
     * agent's own and fail at the first network. Found by looking for the listener class in every entry.
     */
    static void checkSextantOnce(ClassLoader loader) {
        String listener = "dev/sextant/dl4j/SextantListener.class";
        List<String> copies = new ArrayList<>();
        try {
            for (Enumeration<URL> e = loader.getResources(listener); e.hasMoreElements(); ) {
                String url = e.nextElement().toString();
                copies.add(url.substring(0, url.length() - listener.length()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the class path", e);
        }
        if (copies.size() > 1) {
            throw new AgentConfigException("Sextant is on the class path " + copies.size() + " times: " + copies
                    + "; the agent brings its own. Remove Sextant from the application's class path, or drop "
                    + "-javaagent and keep the SextantListener the application adds itself");
        }
    }

    /** Binds and closes a server socket at host:port (port 0: any free port, which checks the host only). */
    static void checkBindable(String host, int port) {
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new AgentConfigException("host=" + host + ": not an address of this machine; allowed: "
                    + AgentOption.HOST.allowed());
        }
        try (ServerSocket s = new ServerSocket()) {
            s.bind(address);
        } catch (IOException e) {
            throw new AgentConfigException("port=" + port + " on host " + host + " cannot be bound (" + e.getMessage()
                    + "): another process may be serving it; choose another port (port=..., SEXTANT_PORT, "
                    + "-Dsextant.port), 0 for any free port, or -1 to serve no metrics");
        }
    }

    /** The nearest existing ancestor of the log's directory must be a writable directory. */
    static void checkWritableDirectory(Path eventLog) {
        Path dir = eventLog.toAbsolutePath().getParent();
        while (dir != null && !Files.exists(dir)) {
            dir = dir.getParent();
        }
        if (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new AgentConfigException("eventLog=" + eventLog + ": " + (dir == null ? "no existing directory" : dir
                    + " is not a writable directory") + "; choose a writable path or eventLog=off");
        }
    }
}
