// An open-addressing hash table of string keys: insertions, lookups, deletions with growth (malloc,
// memcpy, memcmp, byte hashing, unpredictable loads).
#include <stdlib.h>
#include <string.h>

struct entry { char key[16]; int len, value, used; };
struct table { struct entry *slots; int capacity, count; };

static unsigned hash(const char *s, int n) {
    unsigned h = 2166136261u;
    for (int i = 0; i < n; i++) h = (h ^ (unsigned char) s[i]) * 16777619u;
    return h;
}

static struct entry *find(struct table *t, const char *k, int n) {
    unsigned i = hash(k, n) & (unsigned) (t->capacity - 1);
    while (t->slots[i].used && (t->slots[i].len != n || memcmp(t->slots[i].key, k, n) != 0))
        i = (i + 1) & (unsigned) (t->capacity - 1);
    return &t->slots[i];
}

static void put(struct table *t, const char *k, int n, int v);

static void grow(struct table *t) {
    struct entry *old = t->slots;
    int cap = t->capacity;
    t->capacity *= 2;
    t->count = 0;
    t->slots = calloc(t->capacity, sizeof(struct entry));
    for (int i = 0; i < cap; i++) if (old[i].used) put(t, old[i].key, old[i].len, old[i].value);
    free(old);
}

static void put(struct table *t, const char *k, int n, int v) {
    if (2 * (t->count + 1) > t->capacity) grow(t);
    struct entry *e = find(t, k, n);
    if (!e->used) { memcpy(e->key, k, n); e->len = n; e->used = 1; t->count++; }
    e->value = v;
}

static int key(char *out, unsigned x) {
    int n = 0;
    do { out[n++] = (char) ('a' + x % 26); x /= 26; } while (x && n < 15);
    return n;
}

__attribute__((export_name("run"))) int run(int n) {
    struct table t = {calloc(16, sizeof(struct entry)), 16, 0};
    char k[16];
    int sum = 0;
    for (int i = 0; i < n; i++) put(&t, k, key(k, (unsigned) i * 2654435761u), i);
    for (int round = 0; round < 4; round++) {
        for (int i = 0; i < n; i++) {
            struct entry *e = find(&t, k, key(k, (unsigned) (i + round * 7) * 2654435761u));
            if (e->used) { sum += e->value; e->value ^= round; }
        }
    }
    free(t.slots);
    return sum + t.count;
}
