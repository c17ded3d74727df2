// Binary trees (the Computer Language Benchmarks Game's): allocating, walking and freeing many small
// trees through malloc and free: calls, pointer chasing, the allocator.
#include <stdlib.h>

struct node { struct node *left, *right; };

static struct node *make(int depth) {
    struct node *n = malloc(sizeof *n);
    n->left = depth > 0 ? make(depth - 1) : 0;
    n->right = depth > 0 ? make(depth - 1) : 0;
    return n;
}

static int check(const struct node *n) { return 1 + (n->left ? check(n->left) + check(n->right) : 0); }

static void release(struct node *n) {
    if (n->left) { release(n->left); release(n->right); }
    free(n);
}

__attribute__((export_name("run"))) int run(int max) {
    struct node *longlived = make(max);
    int sum = 0;
    for (int d = 4; d <= max; d += 2) {
        int iterations = 1 << (max - d + 4);
        for (int i = 0; i < iterations; i++) { struct node *t = make(d); sum += check(t); release(t); }
    }
    sum += check(longlived);
    release(longlived);
    return sum;
}
