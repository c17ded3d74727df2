package dev.kiln.frontend.text;

import java.util.List;

/** One command of a {@code .wast} script, with the line it starts on. */
public sealed interface WastCommand {
    int line();

    /** The command's name as scripts and reports spell it ("module", "assert_return", ...). */
    String kind();

    /** An invocation or a global read, run on the named module instance (null: the last one). */
    record Action(int line, boolean invoke, String instance, String name, List<WastValue> args) {
    }

    /** {@code (module ...)}: defines and instantiates; with {@code definition}, only defines. */
    record Module(int line, WastModule module, boolean definition) implements WastCommand {
        public String kind() {
            return definition ? "module_definition" : "module";
        }
    }

    /** {@code (module instance $i? $m?)}: instantiates a defined module. */
    record Instance(int line, String instance, String module) implements WastCommand {
        public String kind() {
            return "module_instance";
        }
    }

    /** {@code (register "name" $i?)}. */
    record Register(int line, String name, String instance) implements WastCommand {
        public String kind() {
            return "register";
        }
    }

    /** A bare action. */
    record Perform(int line, Action action) implements WastCommand {
        public String kind() {
            return "action";
        }
    }

    record AssertReturn(int line, Action action, List<WastValue> expected) implements WastCommand {
        public String kind() {
            return "assert_return";
        }
    }

    /** {@code (assert_trap action "message")}. */
    record AssertTrap(int line, Action action, String message) implements WastCommand {
        public String kind() {
            return "assert_trap";
        }
    }

    record AssertExhaustion(int line, Action action, String message) implements WastCommand {
        public String kind() {
            return "assert_exhaustion";
        }
    }

    record AssertException(int line, Action action) implements WastCommand {
        public String kind() {
            return "assert_exception";
        }
    }

    /**
     * The assertions about a module: {@code kind} is assert_malformed, assert_invalid,
     * assert_unlinkable, assert_uninstantiable (assert_trap on a module), assert_malformed_custom or
     * assert_invalid_custom. {@code module} is null when the assertion names a defined module
     * ({@code (module instance ...)}, then {@code instanceOf} is its name).
     */
    record AssertModule(int line, String kind, WastModule module, String instanceOf, String message) implements WastCommand {
    }
}
