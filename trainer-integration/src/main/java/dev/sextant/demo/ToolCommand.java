package dev.sextant.demo;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A command backed by a tool with its own argument handling and {@code --help}, such as the run
 * report ({@code dev.sextant.report.RunReport}).
 *
 * @param name    the command word
 * @param summary one line for the command list
 * @param tool    the tool's entry point
 */
record ToolCommand(String name, String summary, Tool tool) implements Command {

    /** An entry point of the form {@code int run(String[] args, PrintStream out, PrintStream err)}. */
    @FunctionalInterface
    interface Tool {
        int run(String[] args, PrintStream out, PrintStream err);
    }

    @Override
    public String help() {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        PrintStream p = new PrintStream(text, true, StandardCharsets.UTF_8);
        tool.run(new String[] {"--help"}, p, p);
        return text.toString(StandardCharsets.UTF_8);
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        return tool.run(args.toArray(String[]::new), out, err);
    }
}
