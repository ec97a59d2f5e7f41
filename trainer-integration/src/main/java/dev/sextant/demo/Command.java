package dev.sextant.demo;

import java.io.PrintStream;
import java.util.List;

/** A sub-command of {@code sextant-demo.jar}. */
public interface Command {

    /** The word that selects it, e.g. {@code train}. */
    String name();

    /** One line for the command list. */
    String summary();

    /** Its help: usage and flags. */
    String help();

    /**
     * Runs it with the arguments after the command word.
     *
     * @return the process exit code: {@link SextantCli#OK}, {@link SextantCli#FAILED}
     * @throws UsageException when the arguments cannot run (exit code {@link SextantCli#USAGE})
     */
    int run(List<String> args, PrintStream out, PrintStream err) throws UsageException;
}
