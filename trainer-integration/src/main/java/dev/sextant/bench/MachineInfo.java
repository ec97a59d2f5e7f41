package dev.sextant.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the timings depend on: processors, CPU model, memory, the load from other processes, the
 * OpenMP thread setting and the JVM. Linux {@code /proc} files; "unknown" where absent.
 *
 * @param processors     processors available to the JVM
 * @param cpuModel       first "model name" of {@code /proc/cpuinfo}
 * @param memoryBytes    MemTotal of {@code /proc/meminfo}, or -1
 * @param loadAverage    the three load averages of {@code /proc/loadavg}
 * @param ompNumThreads  the OMP_NUM_THREADS environment variable, or {@code null} when unset
 * @param java           JVM name and version
 * @param maxHeapBytes   the JVM's maximum heap
 */
public record MachineInfo(int processors, String cpuModel, long memoryBytes, String loadAverage,
                          String ompNumThreads, String java, long maxHeapBytes) {

    /** Reads the current machine. */
    public static MachineInfo current() {
        return new MachineInfo(Runtime.getRuntime().availableProcessors(), readCpuModel(), readMemoryBytes(), currentLoad(),
                System.getenv("OMP_NUM_THREADS"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                Runtime.getRuntime().maxMemory());
    }

    /** The three load averages now, e.g. {@code "3.91 3.94 2.70"}. */
    public static String currentLoad() {
        List<String> lines = lines(Path.of("/proc/loadavg"));
        if (lines.isEmpty()) {
            return "unknown";
        }
        String[] parts = lines.get(0).trim().split("\\s+");
        return parts.length >= 3 ? parts[0] + " " + parts[1] + " " + parts[2] : "unknown";
    }

    private static String readCpuModel() {
        for (String line : lines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) {
                int colon = line.indexOf(':');
                return colon < 0 ? "unknown" : line.substring(colon + 1).trim();
            }
        }
        return "unknown";
    }

    private static long readMemoryBytes() {
        for (String line : lines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                String[] parts = line.trim().split("\\s+");
                try {
                    return Long.parseLong(parts[1]) * 1024;
                } catch (RuntimeException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    private static List<String> lines(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
