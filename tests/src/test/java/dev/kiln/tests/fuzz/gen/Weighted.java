package dev.kiln.tests.fuzz.gen;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/** A weighted choice among the productions that apply at one point of generation. */
final class Weighted<T> {
    private final List<Double> weights = new ArrayList<>();
    private final List<Supplier<T>> options = new ArrayList<>();
    private double total;

    Weighted<T> add(double weight, Supplier<T> option) {
        if (weight > 0) {
            weights.add(weight);
            options.add(option);
            total += weight;
        }
        return this;
    }

    /** Adds the option only when {@code applies}. */
    Weighted<T> addIf(boolean applies, double weight, Supplier<T> option) {
        return applies ? add(weight, option) : this;
    }

    boolean isEmpty() {
        return options.isEmpty();
    }

    T pick(Random r) {
        double x = r.nextDouble() * total;
        for (int i = 0; i < options.size(); i++) {
            x -= weights.get(i);
            if (x < 0) return options.get(i).get();
        }
        return options.getLast().get();
    }
}
