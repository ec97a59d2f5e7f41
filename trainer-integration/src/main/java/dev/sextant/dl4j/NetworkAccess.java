package dev.sextant.dl4j;

import dev.sextant.probe.ParamLayout;
import dev.sextant.probe.ParamSegment;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * What Sextant reads from a DL4J network, the same way for {@link MultiLayerNetwork} and
 * {@link ComputationGraph}. Arrays returned are DL4J's live views.
 */
abstract class NetworkAccess {

    static NetworkAccess of(Model model) {
        if (model instanceof MultiLayerNetwork mln) {
            return new MultiLayer(mln);
        }
        if (model instanceof ComputationGraph cg) {
            return new Graph(cg);
        }
        throw new IllegalArgumentException("Sextant supports MultiLayerNetwork and ComputationGraph, not "
                + model.getClass().getName());
    }

    abstract Model model();

    abstract int iteration();

    abstract int epoch();

    abstract INDArray flattenedGradients();

    abstract Layer[] layers();

    abstract Updater updater();

    /** The current batch's features, one array per network input. */
    abstract INDArray[] inputs();

    /** The current batch's labels, one array per network output. */
    abstract INDArray[] labels();

    /** A copy of the network in {@code type} sharing nothing with it (parameters and configuration copied). */
    abstract Model copy(DataType type);

    INDArray params() {
        return model().params();
    }

    int batchSize() {
        return model().batchSize();
    }

    double score() {
        return model().score();
    }

    /**
     * The layout of the flat parameter vector, from the parameter table: every entry is a view
     * into the flat vector, so its offset is where it starts.
     */
    ParamLayout layout() {
        INDArray flat = params();
        List<ParamSegment> segments = new ArrayList<>();
        for (Map.Entry<String, INDArray> e : model().paramTable().entrySet()) {
            String key = e.getKey();
            int cut = key.lastIndexOf('_');
            String layer = cut > 0 ? key.substring(0, cut) : key;
            String param = cut > 0 ? key.substring(cut + 1) : key;
            INDArray view = e.getValue();
            segments.add(new ParamSegment(layer, param, view.offset() - flat.offset(), view.length()));
        }
        segments.sort(Comparator.comparingLong(ParamSegment::offset));
        return new ParamLayout(segments);
    }

    /** The updater configuration of the first layer that has parameters (null when none). */
    IUpdater firstUpdater() {
        for (Layer l : layers()) {
            if (l.numParams() > 0) {
                String firstParam = l.paramTable().keySet().iterator().next();
                return l.conf().getLayer().getUpdaterByParam(firstParam);
            }
        }
        return null;
    }

    private static final class MultiLayer extends NetworkAccess {
        private final MultiLayerNetwork net;

        MultiLayer(MultiLayerNetwork net) {
            this.net = net;
        }

        @Override Model model() { return net; }
        @Override int iteration() { return net.getIterationCount(); }
        @Override int epoch() { return net.getLayerWiseConfigurations().getEpochCount(); }
        @Override INDArray flattenedGradients() { return net.getFlattenedGradients(); }
        @Override Layer[] layers() { return net.getLayers(); }
        @Override Updater updater() { return net.getUpdater(false); }
        @Override INDArray[] inputs() { return new INDArray[] {net.getInput()}; }
        @Override INDArray[] labels() { return new INDArray[] {net.getLabels()}; }

        @Override
        Model copy(DataType type) {
            // convertDataType returns the network itself when the type is unchanged: clone then.
            return net.params().dataType() == type ? net.clone() : net.convertDataType(type);
        }
    }

    private static final class Graph extends NetworkAccess {
        private static final Field LABELS = labelsField();
        private final ComputationGraph graph;

        Graph(ComputationGraph graph) {
            this.graph = graph;
        }

        @Override Model model() { return graph; }
        @Override int iteration() { return graph.getIterationCount(); }
        @Override int epoch() { return graph.getEpochCount(); }
        @Override INDArray flattenedGradients() { return graph.getFlattenedGradients(); }
        @Override Layer[] layers() { return graph.getLayers(); }
        @Override Updater updater() { return graph.getUpdater(false); }
        @Override INDArray[] inputs() { return graph.getInputs(); }

        @Override
        INDArray[] labels() {
            // ComputationGraph (1.0.0-M2.1) sets its labels during fit but has no getter for them.
            try {
                return (INDArray[]) LABELS.get(graph);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("cannot read ComputationGraph labels", e);
            }
        }

        @Override
        Model copy(DataType type) {
            return graph.params().dataType() == type ? graph.clone() : graph.convertDataType(type);
        }

        private static Field labelsField() {
            try {
                Field f = ComputationGraph.class.getDeclaredField("labels");
                f.setAccessible(true);
                return f;
            } catch (NoSuchFieldException e) {
                throw new ExceptionInInitializerError("ComputationGraph has no 'labels' field: unsupported DL4J version");
            }
        }
    }
}
