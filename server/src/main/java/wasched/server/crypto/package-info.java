/**
 * Field-level encryption of stored data: AES-256-GCM sealing under a rotatable keyring, and keyed blind
 * indexes that allow equality lookups on encrypted columns.
 */
package wasched.server.crypto;
