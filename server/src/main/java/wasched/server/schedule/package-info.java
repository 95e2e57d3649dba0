/** One-off message scheduling: validation of bodies and send times (IANA zones, DST-correct), idempotent creation, cancel. */
package wasched.server.schedule;
