package dev.sextant.javaagent;

import net.bytebuddy.asm.Advice;

/**
 * The bytecode inlined into DL4J's network classes: one static call handing the network to
 * {@link NetworkHook}, nothing else. {@code suppress = Throwable.class}: whatever happens in the
 * hook, the DL4J method runs as written.
 */
final class NetworkAdvice {
    private NetworkAdvice() {
    }

    /** At the start of {@code fit(...)}: attach (first time) or re-attach the listener. */
    static final class OnFit {
        private OnFit() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object network) {
            NetworkHook.training(network);
        }
    }

    /** When {@code setListeners(Collection)} returns normally: put the listener back if it was dropped. */
    static final class OnSetListeners {
        private OnSetListeners() {
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object network) {
            NetworkHook.listenersReplaced(network);
        }
    }
}
