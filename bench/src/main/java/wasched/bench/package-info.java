/**
 * The wasched benchmark: drives a real server process (mTLS, JWT, encryption, PostgreSQL) and the
 * Cloud API simulator, and measures it against baselines taken in the same run on the same machine.
 */
package wasched.bench;
