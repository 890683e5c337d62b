/**
 * Implementation detail of Quota's services. <b>Unsupported:</b> anything in this package may change or
 * disappear in any release; use the public API in {@code dev.quota.core} instead.
 */
package dev.quota.core.internal;
