package dev.sextant.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The events read from an event log, in file order, with what the reader had to skip.
 *
 * @param path     the file read
 * @param events   every complete, well-formed line
 * @param warnings lines skipped and why, for the user
 */
public record RunLog(Path path, List<LogEvent> events, List<String> warnings) {
    public RunLog {
        events = List.copyOf(events);
        warnings = List.copyOf(warnings);
    }

    /** The run ids in the order they first appear (an appended log can hold several runs). */
    public List<String> runs() {
        Set<String> runs = new LinkedHashSet<>();
        for (LogEvent e : events) {
            runs.add(e.run());
        }
        return new ArrayList<>(runs);
    }

    /** The events of one run. */
    public List<LogEvent> eventsOf(String run) {
        return events.stream().filter(e -> e.run().equals(run)).toList();
    }
}
