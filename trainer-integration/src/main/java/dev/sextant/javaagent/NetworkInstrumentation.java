package dev.sextant.javaagent;

import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

import java.lang.instrument.Instrumentation;
import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Which DL4J classes and methods the agent instruments, by name only: no DL4J class is loaded or
 * required by the agent. If the application never loads these classes, nothing is transformed.
 * <ul>
 *   <li>{@code MultiLayerNetwork} and {@code ComputationGraph} (exactly these names; subclasses
 *       inherit the advice through the methods they inherit or call with {@code super});</li>
 *   <li>every public {@code fit(...)}: advice at entry ({@link NetworkAdvice.OnFit});</li>
 *   <li>{@code setListeners(Collection)}, which the varargs overload and {@code addListeners} of
 *       ComputationGraph call: advice at normal exit ({@link NetworkAdvice.OnSetListeners}).</li>
 * </ul>
 */
final class NetworkInstrumentation {
    /** The instrumented classes. */
    static final List<String> NETWORK_TYPES = List.of(
            "org.deeplearning4j.nn.multilayer.MultiLayerNetwork",
            "org.deeplearning4j.nn.graph.ComputationGraph");

    private NetworkInstrumentation() {
    }

    static ElementMatcher.Junction<TypeDescription> networkTypes() {
        return namedOneOf(NETWORK_TYPES.toArray(String[]::new));
    }

    static ElementMatcher.Junction<MethodDescription> fitMethods() {
        return named("fit").and(isPublic()).and(not(isStatic()));
    }

    static ElementMatcher.Junction<MethodDescription> setListenersMethod() {
        return named("setListeners").and(takesArguments(1))
                .and(takesArgument(0, named("java.util.Collection")));
    }

    /**
     * Installs the transformation. Classes already loaded (dynamic attach) are retransformed; the
     * advice only adds code inside existing methods, so retransformation is allowed.
     */
    static void install(Instrumentation instrumentation) {
        agentBuilder().installOn(instrumentation);
    }

    static AgentBuilder agentBuilder() {
        return new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(new ErrorReport())
                // Decided on the class name alone: no other class file is parsed, so the thousands of
                // classes a DL4J program loads pass the transformer at the cost of a string comparison.
                .ignore(not(networkTypes()))
                .type(networkTypes())
                .transform(NetworkInstrumentation::transform);
    }

    private static DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type,
                                                     ClassLoader loader, JavaModule module,
                                                     java.security.ProtectionDomain domain) {
        return builder
                .visit(Advice.to(NetworkAdvice.OnFit.class).on(fitMethods()))
                .visit(Advice.to(NetworkAdvice.OnSetListeners.class).on(setListenersMethod()));
    }

    /** Reports a class that could not be transformed; that class then runs without Sextant. */
    private static final class ErrorReport extends AgentBuilder.Listener.Adapter {
        @Override
        public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable error) {
            AgentLog.error("could not instrument " + typeName + "; its networks will not be monitored", error);
        }
    }
}
