package dev.kiln.linker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** This process's memory mappings, from /proc/self/maps (Linux). */
record ProcMaps(List<Mapping> mappings) {
    record Mapping(long start, long end, String perms) {
        boolean overlaps(long from, long to) {
            return start < to && from < end;
        }

        boolean writableAndExecutable() {
            return perms.charAt(1) == 'w' && perms.charAt(2) == 'x';
        }
    }

    static ProcMaps read() throws IOException {
        List<Mapping> out = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            String[] f = line.split("\\s+");
            String[] range = f[0].split("-");
            out.add(new Mapping(Long.parseUnsignedLong(range[0], 16), Long.parseUnsignedLong(range[1], 16), f[1]));
        }
        return new ProcMaps(out);
    }

    /** The mapping that contains {@code address}. */
    Mapping at(long address) {
        return mappings.stream().filter(m -> m.start() <= address && address < m.end()).findFirst()
                .orElseThrow(() -> new AssertionError("no mapping contains 0x" + Long.toHexString(address)));
    }

    List<Mapping> overlapping(long from, long to) {
        return mappings.stream().filter(m -> m.overlaps(from, to)).toList();
    }
}
