package dev.kiln.runtime;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code kiln run --stats=json} writes the report without a JSON library: names are escaped, numbers plain. */
class TierReportJsonTest {
    @Test
    void writesEveryComponentAndEscapesNames() {
        TierReport r = new TierReport(3, 2, 1, 0, 0, 0, 1, 2.5, 41, List.of(
                new TierReport.Hot(1, "a\"b\\c\nd", 10, 20, true), new TierReport.Hot(2, "f", 0, 3, false)),
                new TierReport.Background(4, 2, 1, 0.5, 7.25, 6.0, 1000, List.of(new TierReport.Compile(1, "a\"b", true, 0.5, 3.0, 2.5))));
        assertEquals("{\"functions\":3,\"interpreted\":2,\"promoted\":1,\"boundFromCache\":0,\"osrEntries\":0,\"notCompiled\":0,"
                + "\"compiled\":1,\"compileMillis\":2.5,\"firstInstructionMillis\":41,\"top\":["
                + "{\"index\":1,\"name\":\"a\\\"b\\\\c\\u000ad\",\"calls\":10,\"backEdges\":20,\"nativeNow\":true},"
                + "{\"index\":2,\"name\":\"f\",\"calls\":0,\"backEdges\":3,\"nativeNow\":false}],"
                + "\"background\":{\"requested\":4,\"ran\":2,\"dropped\":1,\"waitMillis\":0.5,\"millis\":7.25,\"cpuMillis\":6.0,"
                + "\"interpreterEvents\":1000,\"slowest\":[{\"index\":1,\"name\":\"a\\\"b\",\"osr\":true,\"waitMillis\":0.5,"
                + "\"millis\":3.0,\"cpuMillis\":2.5}]}}", r.json());
    }
}
