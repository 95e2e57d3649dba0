/**
 * A local stand-in for the WhatsApp Cloud API: it accepts text messages on the Graph API messages endpoint
 * and reports their fate through signed status webhooks, so the scheduler can be tested and benchmarked offline.
 */
package wasched.simulator;
