/** Usage events, totals, hourly roll-ups and daily statistics. */
package dev.quota.core.usage;
