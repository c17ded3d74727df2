package dev.kiln.tests.fuzz;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.AroundTryHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;
import net.jqwik.api.lifecycle.TryExecutionResult;
import net.jqwik.api.lifecycle.TryExecutor;
import net.jqwik.api.lifecycle.TryLifecycleContext;

import java.security.SecureRandom;
import java.util.List;

/**
 * Runs a property for a time instead of a number of tries: {@code -Dkiln.fuzz.minutes} (default
 * 5) or {@code -Dkiln.fuzz.tries} tries, whichever ends first, with the seed
 * {@code -Dkiln.fuzz.seed} or a random one, printed first so any run can be repeated. Tries stop
 * being generated once the time is up, but a failure found before that shrinks to the end.
 */
public final class FuzzDuration implements AroundPropertyHook, AroundTryHook {
    private static volatile long deadlineNanos;
    private static volatile boolean falsified;

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        String given = System.getProperty("kiln.fuzz.seed", "");
        long seed = given.isBlank() ? new SecureRandom().nextLong() : Long.parseLong(given.trim());
        double minutes = Double.parseDouble(System.getProperty("kiln.fuzz.minutes", "5"));
        context.attributes().setSeed(Long.toString(seed));
        context.attributes().setTries(Integer.getInteger("kiln.fuzz.tries", Integer.MAX_VALUE));
        deadlineNanos = System.nanoTime() + (long) (minutes * 60e9);
        falsified = false;
        System.out.printf("fuzz: %s for %s minutes with seed %d (repeat with -Dkiln.fuzz.seed=%d)%n",
                context.extendedLabel(), minutes, seed, seed);
        return property.execute();
    }

    @Override
    public TryExecutionResult aroundTry(TryLifecycleContext context, TryExecutor aTry, List<Object> parameters) {
        if (!falsified && System.nanoTime() - deadlineNanos > 0) return TryExecutionResult.satisfied(true);
        TryExecutionResult result = aTry.execute(parameters);
        if (result.isFalsified()) falsified = true;
        return result;
    }
}
