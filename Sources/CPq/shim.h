#include <libpq-fe.h>

/// The diagnostic field codes Ingest reads (character-literal macros, which Swift does not import).
static const int ingest_pg_diag_sqlstate = PG_DIAG_SQLSTATE;
static const int ingest_pg_diag_message_primary = PG_DIAG_MESSAGE_PRIMARY;

/// A notice processor that drops the server's notices (libpq prints them on stderr by default).
static inline void ingest_pg_ignore_notice(void *arg, const char *message) {
    (void)arg;
    (void)message;
}
