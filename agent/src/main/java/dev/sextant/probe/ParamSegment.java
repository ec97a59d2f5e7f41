package dev.sextant.probe;

/**
 * One parameter array of one layer, located in the model's flat parameter vector.
 *
 * @param layer  layer name ({@code "0"}, {@code "1"} for a MultiLayerNetwork; the vertex name in a ComputationGraph)
 * @param param  parameter kind as DL4J names it ({@code W}, {@code b}, {@code gamma}, ...)
 * @param offset first index in the flat vector
 * @param length number of elements
 */
public record ParamSegment(String layer, String param, long offset, long length) {
}
