package dev.kiln.runtime;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code kiln run --stats=json} writes the report without a JSON library: names are escaped, numbers plain. */
class TierReportJsonTest {
    @Test
    void writesEveryComponentAndEscapesNames() {
        TierReport r = new TierReport(3, 2, 1, 0, 0, 0, 1, 2.5, 41, List.of(
                new TierReport.Hot(1, "a\"b\\c\nd", 10, 20, true), new TierReport.Hot(2, "f", 0, 3, false)));
        assertEquals("{\"functions\":3,\"interpreted\":2,\"promoted\":1,\"boundFromCache\":0,\"osrEntries\":0,\"notCompiled\":0,"
                + "\"compiled\":1,\"compileMillis\":2.5,\"firstInstructionMillis\":41,\"top\":["
                + "{\"index\":1,\"name\":\"a\\\"b\\\\c\\u000ad\",\"calls\":10,\"backEdges\":20,\"nativeNow\":true},"
                + "{\"index\":2,\"name\":\"f\",\"calls\":0,\"backEdges\":3,\"nativeNow\":false}]}", r.json());
    }
}
