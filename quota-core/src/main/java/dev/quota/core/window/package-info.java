/** Window kinds and their math in a business time zone, driven by an injected clock. */
package dev.quota.core.window;
