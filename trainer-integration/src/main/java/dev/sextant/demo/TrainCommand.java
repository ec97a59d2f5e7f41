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
                + "flags:\n" + TrainOptions.flagHelp() + "\n" + WORKERS_HELP;
    }

    /** What changes with {@code --workers N}, N at least 2. */
    static final String WORKERS_HELP = """
            with --workers N (N >= 2): DL4J's ParallelWrapper trains N copies of the network on N threads, each
            on its own mini-batch, and averages their parameters (and optimizer state) after every round.
              - A step is one mini-batch of one worker: a round is N steps. --steps, the progress line, the
                summary and the STEP of --lr-at count steps of all workers. An epoch or a --steps count that
                is not a multiple of N ends with a round that some workers sit out; a learning-rate change
                takes effect at the first round that starts at or after its STEP.
              - Each worker has its own listener: /metrics labels every series worker="0".."N-1", and
                sextant_step and the probe intervals (--every, --curvature-every, --noise-every) count each
                worker's own steps, i.e. rounds. The cross-worker gradient noise scale
                (sextant_worker_gradient_noise_scale*, from the gradients the workers compute anyway) is
                sampled every --every rounds; sextant_worker_noise_scale_valid says whether a round's
                workers started from the same parameters.
              - The console digest, the event log and the HTML report show worker 0.
            """;

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
