/// SQLite's errors are the store seam's ``DatabaseError`` with SQLite's extended result code.
package typealias SQLiteError = DatabaseError
