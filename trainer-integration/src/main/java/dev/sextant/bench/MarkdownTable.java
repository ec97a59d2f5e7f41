package dev.sextant.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * A GitHub-flavoured markdown table with padded columns, so it reads in a terminal as well as
 * rendered: text columns left-aligned, numeric columns right-aligned ({@code ---:}).
 */
public final class MarkdownTable {
    private final List<String> headers;
    private final boolean[] numeric;
    private final List<List<String>> rows = new ArrayList<>();

    /**
     * @param headers column headings; a heading that starts with {@code '>'} marks a right-aligned
     *                (numeric) column, the {@code '>'} itself is not shown
     */
    public MarkdownTable(String... headers) {
        this.headers = new ArrayList<>(headers.length);
        this.numeric = new boolean[headers.length];
        for (int i = 0; i < headers.length; i++) {
            numeric[i] = headers[i].startsWith(">");
            this.headers.add(numeric[i] ? headers[i].substring(1) : headers[i]);
        }
    }

    /** Adds a row; it must have one cell per column. Cells must not contain {@code |} or line breaks. */
    public MarkdownTable row(String... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("row has " + cells.length + " cells; the table has "
                    + headers.size() + " columns");
        }
        for (String c : cells) {
            if (c.indexOf('|') >= 0 || c.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("cell '" + c + "' contains '|' or a line break");
            }
        }
        rows.add(List.of(cells));
        return this;
    }

    /** The table, one line per row (header and separator first), each ending in a newline. */
    public String render() {
        int[] width = new int[headers.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = Math.max(3, headers.get(i).length());
            for (List<String> r : rows) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, headers, width);
        sb.append('|');
        for (int i = 0; i < width.length; i++) {
            sb.append(' ').append("-".repeat(numeric[i] ? width[i] - 1 : width[i])).append(numeric[i] ? ":" : "")
                    .append(" |");
        }
        sb.append('\n');
        for (List<String> r : rows) {
            line(sb, r, width);
        }
        return sb.toString();
    }

    private void line(StringBuilder sb, List<String> cells, int[] width) {
        sb.append('|');
        for (int i = 0; i < width.length; i++) {
            String c = cells.get(i);
            String pad = " ".repeat(width[i] - c.length());
            sb.append(' ').append(numeric[i] ? pad + c : c + pad).append(" |");
        }
        sb.append('\n');
    }
}
