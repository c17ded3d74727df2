package dev.kiln.backend.x64;

import java.util.ArrayList;
import java.util.List;

/**
 * The assembler's listing: one line per instruction (or constant-pool item), {@code offset: text}, where
 * the text is what GNU {@code objdump -d -M intel} prints for the same bytes, optionally followed by
 * {@code "  ; "} and an annotation objdump would not show (a relocation, a label name).
 * Lines are recorded as instructions are encoded and rendered once all labels are bound.
 */
final class Listing {
    private record Line(int offset, int end, String mnemonic, ListingOperand[] operands, String annotation) {
    }

    private final List<Line> lines = new ArrayList<>();

    void add(int offset, int end, String mnemonic, String annotation, ListingOperand... operands) {
        lines.add(new Line(offset, end, mnemonic, operands, annotation));
    }

    /** Renders all lines; every referenced label must be bound. */
    List<String> render() {
        List<String> out = new ArrayList<>(lines.size());
        for (Line line : lines) {
            out.add(render(line));
        }
        return out;
    }

    private static String render(Line line) {
        StringBuilder text = new StringBuilder();
        StringBuilder comment = new StringBuilder();
        StringBuilder annotation = new StringBuilder(line.annotation == null ? "" : line.annotation);
        for (ListingOperand operand : line.operands) {
            text.append(text.isEmpty() ? "" : ",").append(operand(operand, line.end, comment, annotation));
        }
        StringBuilder result = new StringBuilder(String.format("%5x: ", line.offset));
        if (text.isEmpty()) {
            result.append(line.mnemonic);
        } else {
            result.append(String.format("%-6s ", line.mnemonic)).append(text);
        }
        if (!comment.isEmpty()) {
            result.append("        # ").append(comment);
        }
        if (!annotation.isEmpty()) {
            result.append("  ; ").append(annotation);
        }
        return result.toString();
    }

    private static String operand(ListingOperand operand, int end, StringBuilder comment, StringBuilder annotation) {
        return switch (operand) {
            case ListingOperand.Text t -> t.text();
            case ListingOperand.Immediate i -> hex(i.bits() == 64 ? i.value() : i.value() & ((1L << i.bits()) - 1));
            case ListingOperand.Target t -> {
                note(annotation, t.label());
                yield hex(t.label().offset());
            }
            case ListingOperand.Memory m -> size(m.bits()) + memory(m.operand(), end, comment, annotation);
        };
    }

    private static String memory(MemoryOperand operand, int end, StringBuilder comment, StringBuilder annotation) {
        return switch (operand) {
            case MemoryOperand.Address a -> address(a);
            case MemoryOperand.RipLabel r -> {
                note(annotation, r.label());
                long target = (long) r.label().offset() + r.displacement();
                comment.append(hex(target));
                yield "[rip+" + hex(target - end) + "]";
            }
            case MemoryOperand.RipSymbol s -> {
                comment.append(hex(end));
                yield "[rip+0x0]";
            }
        };
    }

    private static String address(MemoryOperand.Address a) {
        long disp = a.displacement();
        if (a.base() == null && a.index() == null) {
            return "ds:" + hex(disp);
        }
        StringBuilder s = new StringBuilder("[");
        if (a.base() != null) {
            s.append(a.base().intelName(Width.QWORD));
        }
        if (a.index() != null) {
            s.append(a.base() != null ? "+" : "").append(a.index().intelName(Width.QWORD)).append('*').append(a.scale());
        }
        // objdump shows the displacement whenever one is encoded (always for RBP/R13 bases and with no base).
        boolean encoded = a.base() == null || disp != 0 || (a.base().encoding() & 7) == 5;
        if (encoded) {
            s.append(disp < 0 ? "-" : "+").append(hex(Math.abs(disp)));
        }
        return s.append(']').toString();
    }

    private static String size(int bits) {
        return switch (bits) {
            case 0 -> "";
            case 8 -> "BYTE PTR ";
            case 16 -> "WORD PTR ";
            case 32 -> "DWORD PTR ";
            case 64 -> "QWORD PTR ";
            case 128 -> "XMMWORD PTR ";
            default -> throw new IllegalArgumentException("no size keyword for " + bits + " bits");
        };
    }

    private static void note(StringBuilder annotation, Label label) {
        if (label.name() != null) {
            annotation.append(annotation.isEmpty() ? "" : " ").append('<').append(label.name()).append('>');
        }
    }

    static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }
}
