/**
 * Spring Boot auto-configuration of a Quota {@link dev.quota.core.BillingGate}: {@link
 * dev.quota.spring.boot.QuotaAutoConfiguration}, configured by {@link dev.quota.spring.boot.QuotaProperties}.
 */
package dev.quota.spring.boot;
