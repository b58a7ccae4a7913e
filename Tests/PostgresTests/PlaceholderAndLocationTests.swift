import Testing
@testable import Postgres

@Suite("Placeholders: ? becomes $n only in SQL text")
struct PlaceholderTests {
    @Test("placeholders are numbered in order")
    func numbered() {
        let (sql, count) = Placeholders.rewrite("INSERT INTO t (a, b, c) VALUES (?, ?, ?)")
        #expect(sql == "INSERT INTO t (a, b, c) VALUES ($1, $2, $3)")
        #expect(count == 3)
    }

    @Test("string literals, quoted identifiers, dollar quotes and comments keep their ?", arguments: [
        ("SELECT '?', ?", "SELECT '?', $1"),
        ("SELECT 'it''s ?', ?", "SELECT 'it''s ?', $1"),
        (#"SELECT E'\'?', ?"#, #"SELECT E'\'?', $1"#),
        (#"SELECT '\', ?"#, #"SELECT '\', $1"#),
        (#"SELECT "a?""b", ?"#, #"SELECT "a?""b", $1"#),
        ("SELECT $$ ? $$, ?", "SELECT $$ ? $$, $1"),
        ("SELECT $tag$ ? $x$ ? $tag$, ?", "SELECT $tag$ ? $x$ ? $tag$, $1"),
        ("SELECT ? -- why?\n, ?", "SELECT $1 -- why?\n, $2"),
        ("SELECT /* ? /* ? */ ? */ ?", "SELECT /* ? /* ? */ ? */ $1"),
        ("SELECT $1, ?", "SELECT $1, $1"),
        ("SELECT a$b, ?", "SELECT a$b, $1"),
        ("SELECT 'unterminated ?", "SELECT 'unterminated ?"),
        ("SELECT ?::text || ?", "SELECT $1::text || $2"),
    ])
    func literalsKept(input: String, expected: String) {
        #expect(Placeholders.rewrite(input).sql == expected)
    }

    @Test("SQL without placeholders is unchanged")
    func unchanged() {
        let (sql, count) = Placeholders.rewrite("SELECT 1")
        #expect(sql == "SELECT 1")
        #expect(count == 0)
    }
}

@Suite("PostgresLocation: the password is never shown")
struct PostgresLocationTests {
    @Test("a URL's password is left out of the display form", arguments: [
        ("postgres://ingest:s3cret@db.example:5433/app?sslmode=require", "postgres://ingest@db.example:5433/app?sslmode=require"),
        ("postgresql://ingest@127.0.0.1/app", "postgres://ingest@127.0.0.1/app"),
        ("host=db.example port=5433 user=ingest password=s3cret dbname=app", "postgres://ingest@db.example:5433/app"),
        ("postgres://ingest@db.example/app?password=s3cret", "postgres://ingest@db.example/app"),
    ])
    func redacted(input: String, expected: String) {
        let location = PostgresLocation(input)
        #expect(location.redacted == expected)
        #expect(!location.description.contains("s3cret"))
    }

    @Test("scrub removes the password as written and percent-decoded")
    func scrub() {
        let location = PostgresLocation("postgres://ingest:p%40ss-w0rd@db.example/app")
        #expect(location.scrub("failed for p%40ss-w0rd and p@ss-w0rd") == "failed for *** and ***")
        let quoted = PostgresLocation("host=h password='with space' dbname=d")
        #expect(quoted.scrub("x with space y") == "x *** y")
    }

    @Test("a string libpq cannot parse shows no part of itself")
    func unparsable() {
        let location = PostgresLocation("host=h password=s3cret 'broken")
        #expect(!location.redacted.contains("s3cret"))
        #expect(location.scrub("s3cret") == "***")
    }

    @Test("version numbers read as major.minor")
    func versions() {
        #expect(PGConnection.versionText(150020) == "15.20")
        #expect(PGConnection.versionText(90624) == "9.6.24")
        #expect(!PGConnection.libraryVersion.isEmpty)
    }
}
