package dev.sextant.probe;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Cached segment views are the layout's views, follow later writes, and never outlive their array or layout. */
class SegmentViewsTest {
    private static final ParamLayout LAYOUT = new ParamLayout(List.of(
            new ParamSegment("0", "W", 0, 6), new ParamSegment("0", "b", 6, 2)));

    @Test
    void theViewsAreTheLayoutsSegmentsAndAreMadeOncePerArray() {
        SegmentViews views = new SegmentViews();
        INDArray flat = Nd4j.linspace(DataType.DOUBLE, 1, 8, 1).reshape(1, 8);
        INDArray[] first = views.of(LAYOUT, flat);
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, first[0].toDoubleVector(), 0);
        assertArrayEquals(new double[] {7, 8}, first[1].toDoubleVector(), 0);
        assertSame(first, views.of(LAYOUT, flat), "the same array object gets the views made before");
    }

    @Test
    void aCachedViewSeesLaterWritesToItsArray() {
        SegmentViews views = new SegmentViews();
        INDArray flat = Nd4j.zeros(DataType.DOUBLE, 1, 8);
        views.of(LAYOUT, flat);
        flat.assign(Nd4j.linspace(DataType.DOUBLE, 1, 8, 1).reshape(1, 8)); // as training writes the parameters in place
        assertEquals(7 + 8, views.of(LAYOUT, flat)[1].sumNumber().doubleValue(), 0);
    }

    @Test
    void anotherArrayOrAnotherLayoutGetsNewViews() {
        SegmentViews views = new SegmentViews();
        INDArray a = Nd4j.ones(DataType.DOUBLE, 1, 8);
        INDArray b = a.dup(); // equal values, another object: views of its own buffer
        INDArray[] ofA = views.of(LAYOUT, a);
        INDArray[] ofB = views.of(LAYOUT, b);
        assertNotSame(ofA, ofB);
        b.muli(3);
        assertEquals(6, ofA[0].sumNumber().doubleValue(), 0);
        assertEquals(18, ofB[0].sumNumber().doubleValue(), 0);

        ParamLayout whole = new ParamLayout(List.of(new ParamSegment("0", "W", 0, 8)));
        assertEquals(1, views.of(whole, a).length, "a new layout is not answered from the old one's views");
    }
}
