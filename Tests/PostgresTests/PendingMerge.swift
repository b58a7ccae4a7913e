// Placeholder until the pq branch commits its PostgresTests (removed at that merge).
import Testing
