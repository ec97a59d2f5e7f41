package dev.sextant.javaagent;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.pool.TypePool;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The instrumentation against DL4J 1.0.0-M2.1's real class files: which methods get advice, and
 * that the transformer rewrites the two network classes and leaves every other class alone.
 */
class NetworkInstrumentationTest {
    private static final TypePool POOL = TypePool.Default.ofSystemLoader();

    @Test
    void everyPublicFitOfBothNetworkClassesIsInstrumented() {
        for (Class<?> network : new Class<?>[]{MultiLayerNetwork.class, ComputationGraph.class}) {
            Set<String> expected = Arrays.stream(network.getDeclaredMethods())
                    .filter(m -> m.getName().equals("fit") && Modifier.isPublic(m.getModifiers())
                            && !Modifier.isStatic(m.getModifiers()))
                    .map(NetworkInstrumentationTest::signature)
                    .collect(Collectors.toSet());
            Set<String> matched = matched(network.getName(), NetworkInstrumentation.fitMethods());
            assertEquals(expected, matched, network.getSimpleName());
            // M2.1 has 12 fit overloads on MultiLayerNetwork and 9 on ComputationGraph (DataSet, iterators, arrays).
            assertTrue(matched.size() >= 9, matched.toString());
        }
    }

    @Test
    void onlyTheCollectionOverloadOfSetListenersIsInstrumented() {
        // The varargs overload and ComputationGraph.addListeners call setListeners(Collection): one hook covers all.
        for (String network : NetworkInstrumentation.NETWORK_TYPES) {
            assertEquals(Set.of("setListeners(java.util.Collection)"),
                    matched(network, NetworkInstrumentation.setListenersMethod()), network);
        }
    }

    @Test
    void theTransformerRewritesTheNetworkClassesAndNothingElse() throws Exception {
        ClassFileTransformer t = NetworkInstrumentation.agentBuilder().makeRaw();
        for (Class<?> network : new Class<?>[]{MultiLayerNetwork.class, ComputationGraph.class}) {
            byte[] rewritten = transform(t, network);
            assertNotNull(rewritten, network.getName() + " transformed");
            String constants = new String(rewritten, StandardCharsets.ISO_8859_1);
            assertTrue(constants.contains("dev/sextant/javaagent/NetworkHook"), "calls the hook");
            assertTrue(constants.contains("training") && constants.contains("listenersReplaced"));
            assertFalse(constants.contains("dev/sextant/javaagent/NetworkAdvice"),
                    "the advice is inlined, not referenced");
        }
        assertNull(transform(t, DenseLayer.class), "other DL4J classes are left as they are");
        assertNull(transform(t, String.class), "and so is everything else");
    }

    private static byte[] transform(ClassFileTransformer t, Class<?> type) throws Exception {
        String resource = type.getName().replace('.', '/') + ".class";
        byte[] original;
        ClassLoader loader = type.getClassLoader() != null ? type.getClassLoader() : ClassLoader.getSystemClassLoader();
        try (InputStream in = loader.getResourceAsStream(resource)) {
            assertNotNull(in, resource);
            original = in.readAllBytes();
        }
        return t.transform(type.getClassLoader(), type.getName().replace('.', '/'), null,
                type.getProtectionDomain(), original);
    }

    private static Set<String> matched(String typeName,
                                       net.bytebuddy.matcher.ElementMatcher<? super MethodDescription> matcher) {
        TypeDescription type = POOL.describe(typeName).resolve();
        return type.getDeclaredMethods().filter(matcher).stream()
                .map(m -> m.getName() + m.getParameters().asTypeList().asErasures().stream()
                        .map(TypeDescription::getName).collect(Collectors.joining(",", "(", ")")))
                .collect(Collectors.toSet());
    }

    private static String signature(Method m) {
        return m.getName() + Arrays.stream(m.getParameterTypes()).map(Class::getName)
                .collect(Collectors.joining(",", "(", ")"));
    }
}
