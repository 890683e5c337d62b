/** The outcome of a check ({@link dev.quota.core.decision.Decision}), deny reasons and Quota's exceptions. */
package dev.quota.core.decision;
