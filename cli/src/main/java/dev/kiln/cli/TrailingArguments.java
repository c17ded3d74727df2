package dev.kiln.cli;

import java.util.List;

/**
 * A command whose first positional argument ends option parsing, as in {@code wasmtime run}:
 * everything after it is handed over untouched (so {@code -1} is an argument, not an option).
 */
interface TrailingArguments {
    void trailing(List<String> args);
}
