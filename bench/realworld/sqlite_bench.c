// SQLite (the amalgamation from the better-sqlite3 npm package, deps/sqlite3/sqlite3.c) driven by
// SQL: run(n) builds an in-memory database of n rows and runs inserts, index lookups, a join, an
// aggregate, a sort and an update on it; returns a checksum of what the queries read. No imports:
// the VFS below gives SQLite only what an in-memory database needs (randomness and time are fixed,
// so every engine computes the same result).
#include <stddef.h>
#include <string.h>
#include "sqlite3.h"

static int vfsOpen(sqlite3_vfs *v, const char *n, sqlite3_file *f, int fl, int *o) { return SQLITE_CANTOPEN; }
static int vfsDelete(sqlite3_vfs *v, const char *n, int s) { return SQLITE_IOERR_DELETE; }
static int vfsAccess(sqlite3_vfs *v, const char *n, int fl, int *r) { *r = 0; return SQLITE_OK; }
static int vfsFullPathname(sqlite3_vfs *v, const char *n, int len, char *out) {
    size_t k = strlen(n);
    if ((int) k >= len) return SQLITE_CANTOPEN;
    memcpy(out, n, k + 1);
    return SQLITE_OK;
}
static int vfsRandomness(sqlite3_vfs *v, int n, char *out) {
    for (int i = 0; i < n; i++) out[i] = (char) (i * 131 + 7);
    return n;
}
static int vfsSleep(sqlite3_vfs *v, int us) { return us; }
static int vfsCurrentTime(sqlite3_vfs *v, double *t) { *t = 2460000.5; return SQLITE_OK; }
static int vfsGetLastError(sqlite3_vfs *v, int n, char *s) { return 0; }
static int vfsCurrentTimeInt64(sqlite3_vfs *v, sqlite3_int64 *t) { *t = (sqlite3_int64) 2460000 * 86400000 + 43200000; return SQLITE_OK; }

static sqlite3_vfs memoryOnly = {
    2, sizeof(sqlite3_file), 512, 0, "memory-only", 0,
    vfsOpen, vfsDelete, vfsAccess, vfsFullPathname, 0, 0, 0, 0,
    vfsRandomness, vfsSleep, vfsCurrentTime, vfsGetLastError, vfsCurrentTimeInt64, 0, 0, 0,
};

int sqlite3_os_init(void) { return sqlite3_vfs_register(&memoryOnly, 1); }
int sqlite3_os_end(void) { return SQLITE_OK; }

static unsigned checksum;

static int row(void *unused, int n, char **values, char **names) {
    for (int i = 0; i < n; i++) {
        for (const char *p = values[i]; p && *p; p++) checksum = checksum * 31 + (unsigned char) *p;
    }
    return 0;
}

static int exec(sqlite3 *db, const char *sql) {
    return sqlite3_exec(db, sql, row, 0, 0);
}

__attribute__((export_name("run"))) int run(int n) {
    sqlite3 *db;
    checksum = 17;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK) return -1;
    int rc = exec(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, grp INTEGER, score REAL);"
                      "CREATE TABLE g(grp INTEGER PRIMARY KEY, label TEXT);");
    sqlite3_stmt *ins;
    rc |= exec(db, "BEGIN");
    rc |= sqlite3_prepare_v2(db, "INSERT INTO t(name, grp, score) VALUES (?1, ?2, ?3)", -1, &ins, 0);
    char name[32];
    unsigned seed = 12345;
    for (int i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        int len = 0;
        for (unsigned s = seed; len < 8; s /= 7) name[len++] = (char) ('a' + s % 26);
        name[len] = 0;
        sqlite3_bind_text(ins, 1, name, len, SQLITE_TRANSIENT);
        sqlite3_bind_int(ins, 2, (int) (seed % 97));
        sqlite3_bind_double(ins, 3, (seed % 10007) / 7.0);
        rc |= sqlite3_step(ins) != SQLITE_DONE;
        sqlite3_reset(ins);
    }
    sqlite3_finalize(ins);
    for (int k = 0; k < 97; k++) {
        char sql[96];
        int len = 0;
        const char *head = "INSERT INTO g VALUES (";
        while (head[len]) { sql[len] = head[len]; len++; }
        int v = k, digits[4], d = 0;
        do { digits[d++] = v % 10; v /= 10; } while (v);
        while (d) sql[len++] = (char) ('0' + digits[--d]);
        const char *tail = ", 'group');";
        for (int j = 0; tail[j]; j++) sql[len++] = tail[j];
        sql[len] = 0;
        rc |= exec(db, sql);
    }
    rc |= exec(db, "COMMIT");
    rc |= exec(db, "CREATE INDEX t_name ON t(name);");
    rc |= exec(db, "SELECT grp, count(*), round(avg(score), 3), max(name) FROM t GROUP BY grp ORDER BY grp;");
    rc |= exec(db, "SELECT id, name FROM t WHERE name BETWEEN 'k' AND 'l' ORDER BY name LIMIT 50;");
    rc |= exec(db, "SELECT g.label, sum(t.score) FROM t JOIN g ON t.grp = g.grp WHERE t.id % 3 = 0 GROUP BY g.grp ORDER BY 2 DESC LIMIT 10;");
    rc |= exec(db, "UPDATE t SET score = score * 1.5 WHERE name LIKE '%ab%';");
    rc |= exec(db, "SELECT count(*), round(sum(score), 2) FROM t WHERE score > 500;");
    rc |= exec(db, "SELECT name FROM t ORDER BY score DESC, id LIMIT 20;");
    sqlite3_close(db);
    return rc ? -2 : (int) (checksum & 0x7fffffff);
}
