package dev.sextant.javaagent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the agent checks at JVM start beyond the syntax of its settings, and that it leaves nothing behind. */
class StartupCheckTest {
    @TempDir
    Path dir;

    private static AgentConfig config(String argument) {
        return AgentConfig.resolve(argument, Map.of(), Map.of(), LocalDateTime.of(2024, 1, 1, 0, 0));
    }

    private static void verify(String argument, Map<String, String> systemProperties) {
        StartupCheck.verify(config(argument), systemProperties::get);
    }

    private static void fails(String argument, Map<String, String> systemProperties, String... parts) {
        AgentConfigException e = assertThrows(AgentConfigException.class, () -> verify(argument, systemProperties));
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message '" + e.getMessage() + "' should contain '" + p + "'");
        }
    }

    @Test
    void aPortInUseStopsTheStartAndNamesThePort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            fails("port=" + port + ",eventLog=off", Map.of(), "port=" + port, "cannot be bound", "another port");
        }
    }

    @Test
    void aFreePortIsReleasedAfterTheCheck() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        verify("port=" + port + ",eventLog=off", Map.of());
        // The check closed its socket: the port can be bound again right away (as the listener will).
        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertTrue(again.isBound());
        }
    }

    @Test
    void noPortIsCheckedWhenServingIsOffAndPortZeroChecksOnlyTheHost() {
        assertDoesNotThrow(() -> verify("port=-1,host=no.such.host.invalid,eventLog=off", Map.of()));
        fails("port=0,host=no.such.host.invalid,eventLog=off", Map.of(), "host=no.such.host.invalid",
                "not an address of this machine");
    }

    @Test
    void anEventLogUnderAPlainFileStopsTheStart() throws Exception {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        fails("port=-1,eventLog=" + file.resolve("events.jsonl"), Map.of(), "eventLog=", "plain-file",
                "not a writable directory", "eventLog=off");
    }

    @Test
    void aMissingEventLogDirectoryIsAcceptedButNotCreated() {
        Path log = dir.resolve("a/b/events.jsonl");
        verify("port=-1,eventLog=" + log, Map.of());
        assertFalse(Files.exists(dir.resolve("a")), "nothing is created before a network trains");
    }

    @Test
    void httpsWithoutAKeyStoreStopsTheStart() {
        fails("port=-1,eventLog=off,https=true", Map.of(), "https=true", "javax.net.ssl.keyStore");
        assertDoesNotThrow(() -> verify("port=-1,eventLog=off,https=true",
                Map.of("javax.net.ssl.keyStore", "/etc/keystore.p12")));
    }

    @Test
    void sextantTwiceOnTheClassPathStopsTheStartAndListsBoth() throws Exception {
        Path first = listenerClassIn(dir.resolve("app-classes"));
        Path second = listenerClassIn(dir.resolve("agent-classes"));
        try (URLClassLoader one = loader(first); URLClassLoader two = loader(first, second)) {
            assertDoesNotThrow(() -> StartupCheck.checkSextantOnce(one));
            AgentConfigException e = assertThrows(AgentConfigException.class, () -> StartupCheck.checkSextantOnce(two));
            assertTrue(e.getMessage().contains("2 times"), e.getMessage());
            assertTrue(e.getMessage().contains("app-classes") && e.getMessage().contains("agent-classes"), e.getMessage());
        }
    }

    /** A class-path directory holding (a stand-in for) Sextant's listener class file. */
    private static Path listenerClassIn(Path root) throws Exception {
        Path f = root.resolve("dev/sextant/dl4j/SextantListener.class");
        Files.createDirectories(f.getParent());
        Files.write(f, new byte[]{(byte) 0xCA, (byte) 0xFE});
        return root;
    }

    private static URLClassLoader loader(Path... roots) throws Exception {
        URL[] urls = new URL[roots.length];
        for (int i = 0; i < roots.length; i++) {
            urls[i] = roots[i].toUri().toURL();
        }
        return new URLClassLoader(urls, null);
    }
}
