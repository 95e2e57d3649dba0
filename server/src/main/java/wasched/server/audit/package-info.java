/** The append-only security audit log: hash-chained entries, a query and a verifier. */
package wasched.server.audit;
