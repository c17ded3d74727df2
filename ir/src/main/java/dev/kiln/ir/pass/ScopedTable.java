package dev.kiln.ir.pass;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A hash table whose entries can be taken back to a mark: what a dominator-tree walk
 * ({@link DominatorTree}) knows in a block, forgotten when it leaves the block. An entry that
 * replaces another brings the other back when it is taken back.
 */
final class ScopedTable<K, V> {
    private final Map<K, V> map = new HashMap<>();
    private final List<K> keys = new ArrayList<>();
    private final List<V> replaced = new ArrayList<>();

    V get(K key) {
        return map.get(key);
    }

    void put(K key, V value) {
        keys.add(key);
        replaced.add(map.put(key, value));
    }

    /** The current mark, for {@link #rollback}. */
    int mark() {
        return keys.size();
    }

    /** Takes back every entry made since {@code mark}. */
    void rollback(int mark) {
        for (int k = keys.size() - 1; k >= mark; k--) {
            K key = keys.remove(k);
            V old = replaced.remove(k);
            if (old == null) map.remove(key);
            else map.put(key, old);
        }
    }
}
