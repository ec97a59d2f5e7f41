package dev.sextant.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/** {@code train}: trains the demo network with Sextant attached (the default command). */
public final class TrainCommand implements Command {

    @Override
    public String name() {
        return "train";
    }

    @Override
    public String summary() {
        return "train an MLP or CNN on Fashion-MNIST (or a synthetic task) with Sextant attached (default)";
    }

    @Override
    public String help() {
        return "usage: java -jar sextant-demo.jar [train] [flags]\n"
                + "Set OMP_NUM_THREADS (e.g. 1 on a small machine) for steady step times. ND4J and DL4J log at\n"
                + "WARN; -Dorg.slf4j.simpleLogger.log.org.nd4j=info shows the backend details.\n\n"
                + "flags:\n" + TrainOptions.flagHelp();
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws UsageException {
        TrainOptions options = TrainOptions.parse(args);
        try {
            new Trainer(options, out).run();
            return SextantCli.OK;
        } catch (IOException e) {
            err.println("error: " + e.getMessage());
            return SextantCli.FAILED;
        }
    }
}
