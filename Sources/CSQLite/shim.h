#include <sqlite3.h>

/// sqlite3_config is variadic, which Swift cannot call: these wrappers expose the settings Ingest uses.
/// Turns off SQLite's global memory statistics, whose mutex every allocation would otherwise take.
/// Must run before the first connection opens (it returns SQLITE_MISUSE afterwards, harmlessly).
static inline int ingest_sqlite_disable_memstatus(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
