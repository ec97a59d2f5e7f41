package dev.sextant.demo;

import dev.sextant.bench.OverheadBenchmark;
import dev.sextant.report.RunReport;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * Entry point of {@code sextant-demo.jar}: {@code java -jar sextant-demo.jar [command] [flags]}.
 * Commands: {@code train} (the default), {@code validate}, {@code report}, {@code bench}, {@code help}. Exit codes:
 * {@link #OK}, {@link #FAILED} (a run or a validation failed), {@link #USAGE} (bad command line;
 * the message says what to change).
 */
public final class SextantCli {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    private final List<Command> commands;

    public SextantCli(List<Command> commands) {
        this.commands = List.copyOf(commands);
    }

    /** The demo's commands; the first is the default. */
    public static SextantCli standard() {
        return new SextantCli(List.of(new TrainCommand(), new ValidateCommand(),
                new ToolCommand("report", "turn a JSON-lines event log into one self-contained HTML report",
                        RunReport::run),
                new ToolCommand("bench", "measure Sextant's overhead against training alone and DL4J's StatsListener",
                        OverheadBenchmark::run)));
    }

    public static void main(String[] args) {
        quietLibraries();
        System.exit(standard().run(Arrays.asList(args), System.out, System.err));
    }

    /**
     * ND4J and DL4J log their start-up details at INFO (a dozen lines of backend build flags);
     * the demo starts them at WARN unless the user set a level ({@code -Dorg.slf4j.simpleLogger.log.org.nd4j=info}).
     */
    private static void quietLibraries() {
        for (String logger : List.of("org.nd4j", "org.deeplearning4j")) {
            String key = "org.slf4j.simpleLogger.log." + logger;
            if (System.getProperty(key) == null) {
                System.setProperty(key, "warn");
            }
        }
    }

    /** Runs the command line and returns the exit code (never calls {@code System.exit}). */
    public int run(List<String> args, PrintStream out, PrintStream err) {
        Command command = commands.get(0);
        List<String> rest = args;
        if (!args.isEmpty() && !args.get(0).startsWith("-")) {
            String word = args.get(0);
            rest = args.subList(1, args.size());
            if (word.equals("help")) {
                Command about = rest.isEmpty() ? null : find(rest.get(0));
                if (!rest.isEmpty() && about == null) {
                    err.println("error: no command '" + rest.get(0) + "'; commands: " + names());
                    return USAGE;
                }
                out.print(help(about));
                return OK;
            }
            command = find(word);
            if (command == null) {
                err.println("error: unknown command '" + word + "'; commands: " + names() + " (see --help)");
                return USAGE;
            }
        }
        if (TrainOptions.wantsHelp(rest)) {
            out.print(help(command));
            return OK;
        }
        try {
            return command.run(rest, out, err);
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            return USAGE;
        }
    }

    /** Help for a command (null: the default command), followed by the command list. */
    String help(Command command) {
        Command c = command != null ? command : commands.get(0);
        StringBuilder sb = new StringBuilder(c.help()).append("\ncommands:\n");
        for (Command k : commands) {
            sb.append(String.format("  %-9s %s%n", k.name(), k.summary()));
        }
        sb.append(String.format("  %-9s %s%n", "help", "print this help; 'help COMMAND' for one command"));
        return sb.toString();
    }

    private Command find(String name) {
        for (Command c : commands) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }

    private String names() {
        StringBuilder sb = new StringBuilder();
        for (Command c : commands) {
            sb.append(sb.length() == 0 ? "" : ", ").append(c.name());
        }
        return sb.append(", help").toString();
    }
}
