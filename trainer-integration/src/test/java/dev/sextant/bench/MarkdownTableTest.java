package dev.sextant.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The report's tables: padded so they read in a terminal, numeric columns right-aligned. */
class MarkdownTableTest {

    @Test
    void columnsArePaddedToTheWidestCellAndNumericOnesAlignRight() {
        String table = new MarkdownTable("variant", ">ms/step", ">× none")
                .row("none", "7.10", "1.000×")
                .row("sextant-full", "12.35", "1.739×")
                .render();
        String expected = ""
                + "| variant      | ms/step | × none |\n"
                + "| ------------ | ------: | -----: |\n"
                + "| none         |    7.10 | 1.000× |\n"
                + "| sextant-full |   12.35 | 1.739× |\n";
        assertEquals(expected, table);
    }

    @Test
    void aSeparatorIsAtLeastThreeDashesWide() {
        // GitHub needs three dashes per separator cell; a one-letter column is widened to 3
        assertEquals("| a   |\n| --- |\n| x   |\n", new MarkdownTable("a").row("x").render());
    }

    @Test
    void rowsWithTheWrongNumberOfCellsOrAPipeAreRefused() {
        MarkdownTable t = new MarkdownTable("a", "b");
        assertThrows(IllegalArgumentException.class, () -> t.row("only one"));
        assertThrows(IllegalArgumentException.class, () -> t.row("a|b", "c"));
    }
}
