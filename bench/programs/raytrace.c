// A small ray tracer: spheres, a light, shadows and reflections in f64 vectors passed by value
// through small functions (sqrt, structs in memory, calls).
#include <math.h>

typedef struct { double x, y, z; } vec;
static vec v(double x, double y, double z) { vec r = {x, y, z}; return r; }
static vec plus(vec a, vec b) { return v(a.x + b.x, a.y + b.y, a.z + b.z); }
static vec minus(vec a, vec b) { return v(a.x - b.x, a.y - b.y, a.z - b.z); }
static vec scale(vec a, double s) { return v(a.x * s, a.y * s, a.z * s); }
static double dot(vec a, vec b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
static vec unit(vec a) { return scale(a, 1 / sqrt(dot(a, a))); }

typedef struct { vec centre; double radius, reflect; vec colour; } sphere;
static sphere scene[] = {
    {{0, -1004, 20}, 1000, 0.2, {0.5, 0.5, 0.5}}, {{0, 0, 20}, 4, 0.5, {1, 0.3, 0.3}},
    {{5, -1, 15}, 2, 0.3, {0.9, 0.8, 0.1}}, {{5, 0, 25}, 3, 0.1, {0.6, 0.6, 1}}, {{-5.5, 0, 15}, 3, 0.4, {0.3, 1, 0.3}}};
#define SPHERES 5

static double hit(const sphere *s, vec o, vec d) {
    vec l = minus(s->centre, o);
    double t = dot(l, d), disc = dot(l, l) - t * t;
    if (disc > s->radius * s->radius) return -1;
    double h = sqrt(s->radius * s->radius - disc), t0 = t - h;
    return t0 > 1e-4 ? t0 : t + h > 1e-4 ? t + h : -1;
}

static vec trace(vec o, vec d, int depth) {
    double best = 1e30; const sphere *s = 0;
    for (int i = 0; i < SPHERES; i++) { double t = hit(&scene[i], o, d); if (t > 0 && t < best) { best = t; s = &scene[i]; } }
    if (!s) return v(0.2, 0.3, 0.5);
    vec p = plus(o, scale(d, best)), n = unit(minus(p, s->centre)), light = unit(minus(v(-20, 20, 0), p));
    int shadow = 0;
    for (int i = 0; i < SPHERES; i++) if (hit(&scene[i], p, light) > 0) { shadow = 1; break; }
    double diffuse = shadow ? 0.1 : fmax(0.1, dot(n, light));
    vec c = scale(s->colour, diffuse);
    if (depth < 4 && s->reflect > 0) {
        vec r = minus(d, scale(n, 2 * dot(d, n)));
        c = plus(scale(c, 1 - s->reflect), scale(trace(p, unit(r), depth + 1), s->reflect));
    }
    return c;
}

__attribute__((export_name("run"))) int run(int size) {
    unsigned sum = 0;
    for (int y = 0; y < size; y++) {
        for (int x = 0; x < size; x++) {
            vec d = unit(v((x - size / 2.0) / size, (size / 2.0 - y) / size, 1));
            vec c = trace(v(0, 0, 0), d, 0);
            sum = sum * 31 + (unsigned) (fmin(c.x, 1) * 255) + ((unsigned) (fmin(c.y, 1) * 255) << 8) + ((unsigned) (fmin(c.z, 1) * 255) << 16);
        }
    }
    return (int) sum;
}
