/**
 * Delivery: claiming due messages from PostgreSQL under a lease (FOR UPDATE SKIP LOCKED), sending
 * them to the WhatsApp Cloud API at the provider's rate on a managed executor, retries, and the
 * signed status webhook.
 */
package wasched.server.dispatch;
