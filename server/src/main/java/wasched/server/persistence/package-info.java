/** EclipseLink JPA entities and the database runtime: HikariCP pool, Flyway migrations, embedded PostgreSQL. */
package wasched.server.persistence;
