package dev.sextant.dl4j;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A training JVM killed with SIGKILL mid-run leaves an event log whose every complete line parses and is recent. */
class EventLogSurvivesKillTest {
    static final int EVERY = 5;

    @TempDir
    Path dir;

    @Test
    void everyCompleteLineParsesAndTheLastIsWithinOneIntervalOfTheKill() throws Exception {
        Path log = dir.resolve("events.jsonl");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                KillTarget.class.getName(), log.toString(), String.valueOf(EVERY))
                .redirectError(dir.resolve("child-stderr.txt").toFile())
                .start();
        long lastPrinted = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("step ")) {
                    lastPrinted = Long.parseLong(line.substring(5));
                    if (lastPrinted >= 300) {
                        break;
                    }
                }
            }
            // Process.destroyForcibly sends SIGKILL on Linux: no shutdown hook, no flush, no close.
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child did not die");
        } finally {
            child.destroyForcibly();
        }
        assertEquals(137, child.exitValue(), "killed by SIGKILL (128 + 9)");
        assertTrue(lastPrinted >= 300, "child trained: " + Files.readString(dir.resolve("child-stderr.txt")));

        String content = Files.readString(log);
        List<String> lines = content.lines().toList();
        boolean lastComplete = content.endsWith("\n");
        ObjectMapper json = new ObjectMapper();
        long lastLogged = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (i == lines.size() - 1 && !lastComplete) {
                break; // the line being written at the kill may be cut; all before it must parse
            }
            lastLogged = Math.max(lastLogged, json.readTree(lines.get(i)).get("step").asLong());
        }
        // Steps up to lastPrinted finished before the kill, and every EVERY-th was logged before
        // its "step" line was printed (one write per line, no buffer): the log reaches at least the
        // last sampled step at or before lastPrinted.
        long lastSampledBeforeKill = lastPrinted - lastPrinted % EVERY;
        assertTrue(lastLogged >= lastSampledBeforeKill,
                "last logged step " + lastLogged + ", last step printed before the kill " + lastPrinted);
    }
}
