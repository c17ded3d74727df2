// Tokenising generated text, counting words in a chained hash table, and sorting them by frequency:
// byte scanning, strcmp/strlen/memcpy, malloc, qsort with a comparator.
#include <stdlib.h>
#include <string.h>

struct word { char *text; int count; struct word *next; };

static int by_count(const void *a, const void *b) {
    const struct word *x = *(struct word *const *) a, *y = *(struct word *const *) b;
    return x->count != y->count ? y->count - x->count : strcmp(x->text, y->text);
}

__attribute__((export_name("run"))) int run(int n) {
    static const char *syll[] = {"ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "zo", "pe", "qu", "ix"};
    char *text = malloc(n + 64);
    unsigned seed = 3;
    int len = 0;
    while (len < n) {
        seed = seed * 1103515245u + 12345u;
        int parts = 1 + (seed >> 28) % 3;
        for (int p = 0; p < parts; p++) { seed = seed * 1103515245u + 12345u; memcpy(text + len, syll[(seed >> 16) % 12], 2); len += 2; }
        text[len++] = (seed >> 20) % 9 == 0 ? '.' : ' ';
    }
    text[len] = 0;
    enum { BUCKETS = 4096 };
    struct word **table = calloc(BUCKETS, sizeof *table);
    int distinct = 0;
    for (char *p = text; *p;) {
        while (*p == ' ' || *p == '.') p++;
        char *start = p;
        while (*p && *p != ' ' && *p != '.') p++;
        size_t k = (size_t) (p - start);
        if (!k) continue;
        unsigned h = 5381;
        for (size_t i = 0; i < k; i++) h = h * 33 + (unsigned char) start[i];
        struct word **slot = &table[h % BUCKETS];
        while (*slot && (strlen((*slot)->text) != k || memcmp((*slot)->text, start, k) != 0)) slot = &(*slot)->next;
        if (!*slot) {
            struct word *w = malloc(sizeof *w);
            w->text = malloc(k + 1); memcpy(w->text, start, k); w->text[k] = 0;
            w->count = 0; w->next = 0; *slot = w; distinct++;
        }
        (*slot)->count++;
    }
    struct word **all = malloc(distinct * sizeof *all);
    int m = 0;
    for (int b = 0; b < BUCKETS; b++) for (struct word *w = table[b]; w; w = w->next) all[m++] = w;
    qsort(all, m, sizeof *all, by_count);
    unsigned sum = (unsigned) distinct;
    for (int i = 0; i < m && i < 100; i++) sum = sum * 31 + (unsigned) all[i]->count + (unsigned char) all[i]->text[0];
    for (int i = 0; i < m; i++) { free(all[i]->text); free(all[i]); }
    free(all); free(table); free(text);
    return (int) sum;
}
