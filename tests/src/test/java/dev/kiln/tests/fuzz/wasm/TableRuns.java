package dev.kiln.tests.fuzz.wasm;

import java.util.ArrayList;
import java.util.List;

/** The active element segments a table's slots are written as: one per run of consecutive non-null slots. */
final class TableRuns {
    private TableRuns() {
    }

    record Run(int offset, List<Integer> functions) {
    }

    static List<Run> of(TableDef t) {
        List<Run> runs = new ArrayList<>();
        List<Integer> e = t.entries();
        for (int i = 0; i < e.size(); ) {
            if (e.get(i) < 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < e.size() && e.get(j) >= 0) j++;
            runs.add(new Run(i, e.subList(i, j)));
            i = j;
        }
        return runs;
    }
}
